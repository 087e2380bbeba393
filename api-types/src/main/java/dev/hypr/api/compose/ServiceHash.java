package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A hash of one translated service: re-applying a stack recreates exactly the services whose
 * hash changed. Keys are sorted first, so the order fields were written in does not matter.
 */
public final class ServiceHash {
    private static final JsonMapper CANONICAL = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private ServiceHash() {
    }

    public static String of(JsonNode service) {
        try {
            Object plain = CANONICAL.treeToValue(service, Object.class);
            return Names.hash(CANONICAL.writeValueAsString(plain)).substring(0, 16);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
