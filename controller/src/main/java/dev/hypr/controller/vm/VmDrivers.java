package dev.hypr.controller.vm;

import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.HypervisorSelector;
import dev.hypr.controller.vmm.chv.ChvDriver;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The hypervisor drivers this daemon can use. */
@ApplicationScoped
public class VmDrivers {
    @Produces
    @Singleton
    HypervisorSelector selector(dev.hypr.controller.config.HyprPaths paths,
            @ConfigProperty(name = "hypr.qemu.binary") Optional<String> qemu,
            @ConfigProperty(name = "hypr.cloud-hypervisor.binary") Optional<String> chv,
            @ConfigProperty(name = "hypr.ksm", defaultValue = "false") boolean ksm) {
        return new HypervisorSelector(Map.of(
                HypervisorKind.QEMU, new QemuDriver(qemu.orElse(HostProgram.QEMU.program()), paths.home(), ksm),
                HypervisorKind.CLOUD_HYPERVISOR, new ChvDriver(chv.orElse(HostProgram.CLOUD_HYPERVISOR.program()))));
    }
}
