package dev.hypr.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import java.util.List;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Block-style YAML through SnakeYAML Engine with the YAML 1.2 core schema, the schema the codec
 * reads with: strings that would read back as numbers, booleans or null are quoted, so
 * {@code get -o yaml} output can be applied again.
 */
public final class YamlWriter {
    private static final DumpSettings SETTINGS = DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setSchema(new CoreSchema())
            .setIndent(2)
            .setIndicatorIndent(0)
            .setWidth(Integer.MAX_VALUE)
            .setSplitLines(false)
            .build();

    private YamlWriter() {
    }

    public static String write(JsonNode node) {
        Object plain = Json.MAPPER.convertValue(node, Object.class);
        return new Dump(SETTINGS).dumpToString(plain);
    }

    /** Several objects as one multi-document stream separated by {@code ---}. */
    public static String writeAll(List<? extends JsonNode> nodes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                sb.append("---\n");
            }
            sb.append(write(nodes.get(i)));
        }
        return sb.toString();
    }
}
