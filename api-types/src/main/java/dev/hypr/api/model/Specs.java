package dev.hypr.api.model;

import dev.hypr.api.Kind;
import java.util.Map;

/** The spec and status record types of each kind. */
public final class Specs {
    private static final Map<Kind, Class<?>[]> TYPES = Map.of(
            Kind.VM, new Class<?>[] {VmSpec.class, VmStatus.class},
            Kind.NETWORK, new Class<?>[] {NetworkSpec.class, NetworkStatus.class},
            Kind.VOLUME, new Class<?>[] {VolumeSpec.class, VolumeStatus.class},
            Kind.IMAGE, new Class<?>[] {ImageSpec.class, ImageStatus.class},
            Kind.STACK, new Class<?>[] {StackSpec.class, StackStatus.class},
            Kind.SYNC, new Class<?>[] {SyncSpec.class, SyncStatus.class},
            Kind.NODE, new Class<?>[] {NodeSpec.class, NodeStatus.class});

    private Specs() {
    }

    public static Class<?> specType(Kind kind) {
        return TYPES.get(kind)[0];
    }

    public static Class<?> statusType(Kind kind) {
        return TYPES.get(kind)[1];
    }
}
