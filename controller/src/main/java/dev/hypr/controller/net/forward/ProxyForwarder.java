package dev.hypr.controller.net.forward;

import dev.hypr.controller.vmm.HostForward;
import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * hyprd's own TCP/UDP proxy from hostIP:hostPort to a VM's bridge address. Observed state is
 * the set of listeners still open, so one torn down from outside drops out of {@link #list()}
 * and the reconciler binds it again; {@code onLost} wakes the reconciler for the VM at once.
 */
public final class ProxyForwarder implements Forwarder {
    private final Map<String, ProxyListener> listeners = new ConcurrentHashMap<>();
    private final ProxyStats stats = new ProxyStats();
    private final Consumer<Forward> onLost;

    public ProxyForwarder(Consumer<Forward> onLost) {
        this.onLost = onLost;
    }

    @Override
    public String name() {
        return "proxy";
    }

    public ProxyStats stats() {
        return stats;
    }

    @Override
    public List<Forward> list() {
        List<Forward> out = new ArrayList<>();
        listeners.values().removeIf(l -> !l.isOpen());
        listeners.values().forEach(l -> out.add(l.forward()));
        return out;
    }

    /** The forwards of one VM: this forwarder is shared by every bridged VM. */
    public List<Forward> list(String owner) {
        return list().stream().filter(f -> f.owner().equals(owner)).toList();
    }

    @Override
    public synchronized void expose(Forward forward) throws ForwardException {
        ProxyListener existing = listeners.get(forward.listenKey());
        if (existing != null && existing.isOpen()) {
            if (existing.forward().equals(forward)) {
                return;
            }
            throw new PortConflictException(forward, "published by " + existing.forward().owner());
        }
        Runnable lost = () -> onLost.accept(forward);
        try {
            ProxyListener l = forward.protocol() == HostForward.Protocol.TCP
                    ? new TcpProxyListener(forward, stats, lost)
                    : new UdpProxyListener(forward, stats, lost);
            listeners.put(forward.listenKey(), l);
        } catch (BindException e) {
            if (HostAddressMissingException.isAddressMissing(e)) {
                throw new HostAddressMissingException(forward);
            }
            throw new PortConflictException(forward, e.getMessage());
        } catch (IOException e) {
            throw new ForwardException("proxy " + forward + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void unexpose(Forward forward) {
        ProxyListener l = listeners.get(forward.listenKey());
        if (l != null && l.forward().owner().equals(forward.owner())) {
            listeners.remove(forward.listenKey());
            l.close();
        }
    }

    /** Stops every listener (hyprd shutting down). */
    public synchronized void closeAll() {
        listeners.values().forEach(ProxyListener::close);
        listeners.clear();
    }
}
