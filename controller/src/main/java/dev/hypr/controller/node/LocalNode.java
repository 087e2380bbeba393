package dev.hypr.controller.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.store.etcd.EtcdConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Which objects this hyprd acts on. With one node (SQLite) every VM and Volume is its own, and
 * {@code spec.nodeName} may stay empty. On etcd only those whose {@code spec.nodeName} names this
 * node, and none while the node is fenced (its lease may have expired: see {@link LeaseClock}).
 */
@ApplicationScoped
public class LocalNode {
    @Inject
    NodeRegistration registration;

    @Inject
    EtcdConnection etcd;

    public String name() {
        return registration.nodeName();
    }

    /** One node, SQLite: no scheduler, no fencing. */
    public boolean single() {
        return etcd.client().isEmpty();
    }

    public boolean fenced() {
        return !single() && registration.fenced();
    }

    /** On etcd, before the node first holds its lease (startup): wait, neither run nor stop anything. */
    public boolean awaitingLease() {
        return !single() && registration.leasePending();
    }

    /** See {@link NodeRegistration#onFencing}. */
    public void onFencing(java.util.function.Consumer<Boolean> listener) {
        registration.onFencing(listener);
    }

    /** Whether this node runs {@code obj} (a VM or Volume) now. */
    public boolean runsHere(JsonNode obj) {
        if (single()) {
            return true;
        }
        return !fenced() && !awaitingLease() && name().equals(obj.path("spec").path("nodeName").asText(""));
    }
}
