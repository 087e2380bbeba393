package dev.hypr.controller.store;

/**
 * How much the store may hold: objects and bytes (as {@link ObjectSize} counts them, which is
 * what the objects cost in memory, since every object is held in memory). Applies are refused
 * beyond the limits; controllers' status and finalizer writes may use a reserve of
 * {@link #CONTROLLER_RESERVE_PERCENT}% above {@code maxBytes}, so the VMs of a store users
 * filled can still report what happens to them. Deletes are never refused.
 */
public record StoreLimits(long maxObjects, long maxBytes) {
    public static final int CONTROLLER_RESERVE_PERCENT = 10;
    public static final StoreLimits NONE = new StoreLimits(Long.MAX_VALUE, Long.MAX_VALUE);

    public StoreLimits {
        if (maxObjects < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("store limits must be positive: " + maxObjects + " objects, " + maxBytes + " bytes");
        }
    }

    /** The byte limit for a write of this budget. */
    long maxBytes(WriteBudget budget) {
        return switch (budget) {
            case APPLY -> maxBytes;
            case CONTROLLER -> maxBytes > Long.MAX_VALUE / 2 ? maxBytes : maxBytes + maxBytes / 100 * CONTROLLER_RESERVE_PERCENT;
            case UNBOUNDED -> Long.MAX_VALUE;
        };
    }

    /** Only a write that grows the store past a limit is refused: one that shrinks it always passes. */
    public void check(StoreUsage now, StoreUsage next, WriteBudget budget) {
        if (budget != WriteBudget.UNBOUNDED && next.objects() > now.objects() && next.objects() > maxObjects) {
            throw StoreException.limitExceeded("the store holds " + now.objects() + " objects, the limit (hypr.store.max-objects) is "
                    + maxObjects + "; delete objects or raise the limit");
        }
        long max = maxBytes(budget);
        if (next.bytes() > now.bytes() && next.bytes() > max) {
            throw StoreException.limitExceeded("the store would grow to " + StoreUsage.mib(next.bytes()) + " (in use "
                    + StoreUsage.mib(now.bytes()) + "), over its limit of " + StoreUsage.mib(max)
                    + " (hypr.store.max-bytes" + (budget == WriteBudget.CONTROLLER ? " plus the controllers' reserve" : "")
                    + "); delete objects or raise the limit");
        }
    }

    /** Which limit a write is held to. */
    public enum WriteBudget {
        /** A user's apply: up to the limits. */
        APPLY,
        /** Status and finalizers: up to the limits plus the reserve. */
        CONTROLLER,
        /** Deletes: always allowed (they only shrink the store, or mark objects for deletion). */
        UNBOUNDED
    }
}
