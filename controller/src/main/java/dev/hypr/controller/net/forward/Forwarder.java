package dev.hypr.controller.net.forward;

import java.util.List;

/**
 * Something that publishes host ports: QEMU user-mode networking, hyprd's own proxy, gvproxy.
 * Both mutations are idempotent: exposing an existing forward or unexposing a missing one
 * succeeds. A host port someone else holds is a {@link PortConflictException}.
 */
public interface Forwarder {
    /** Short name shown in VM status ("qemu-user", "proxy", "gvproxy"). */
    String name();

    /** The forwards that really exist now (observed state, asked fresh every call). */
    List<Forward> list() throws ForwardException;

    void expose(Forward forward) throws ForwardException;

    void unexpose(Forward forward) throws ForwardException;
}
