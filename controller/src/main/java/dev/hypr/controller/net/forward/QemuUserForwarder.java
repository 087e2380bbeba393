package dev.hypr.controller.net.forward;

import dev.hypr.controller.vmm.NetworkMode;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmmException;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import dev.hypr.controller.vmm.qemu.QmpClient;
import java.io.IOException;
import java.util.List;

/**
 * Host forwards of one QEMU user-mode (slirp) VM, changed live over QMP. Rootless: QEMU
 * itself binds the host port. The guest side is always slirp's fixed guest address.
 */
public final class QemuUserForwarder implements Forwarder {
    public static final String GUEST_IP = NetworkMode.UserMode.GUEST_CIDR.split("/")[0];

    private final String vm;
    private final VmHandle handle;
    private final QemuDriver driver;

    public QemuUserForwarder(String vm, VmHandle handle, QemuDriver driver) {
        this.vm = vm;
        this.handle = handle;
        this.driver = driver;
    }

    @Override
    public String name() {
        return "qemu-user";
    }

    @Override
    public List<Forward> list() throws ForwardException {
        try (QmpClient qmp = QmpClient.connect(handle.controlSocket())) {
            return UsernetTable.hostForwards(vm, qmp.humanMonitorCommand("info usernet"));
        } catch (IOException e) {
            throw new ForwardException("vm/" + vm + ": info usernet: " + e.getMessage(), e);
        }
    }

    @Override
    public void expose(Forward forward) throws ForwardException {
        if (list().stream().anyMatch(f -> f.listenKey().equals(forward.listenKey()))) {
            return; // hostfwd_add of an existing rule would fail on its own bind
        }
        try {
            driver.addHostForward(handle, forward.toHostForward());
        } catch (VmmException e) {
            // slirp reports every bind failure as "Could not set up host forwarding rule '...'";
            // the rule itself is well-formed (we built it; a bad one is "Invalid ..."), so the port is taken
            if (e.getMessage() != null && e.getMessage().contains("Could not set up host forwarding rule")) {
                if (!HostAddressMissingException.isLocal(forward.hostIP())) {
                    throw new HostAddressMissingException(forward);
                }
                throw new PortConflictException(forward, "QEMU: " + e.getMessage());
            }
            throw new ForwardException("vm/" + vm + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void unexpose(Forward forward) throws ForwardException {
        try {
            driver.removeHostForward(handle, forward.toHostForward());
        } catch (VmmException e) {
            if (e.getMessage() == null || !e.getMessage().contains("not found")) {
                throw new ForwardException("vm/" + vm + ": " + e.getMessage(), e);
            }
        }
    }
}
