package dev.hypr.controller.host;

import java.util.Optional;

/**
 * Programs the tests run (beyond hyprd's own, {@link dev.hypr.api.host.HostProgram}), with the
 * Debian package that provides each: {@link HostProgramsInstalledTest} checks that
 * scripts/install-deps.sh installs them, so a fresh machine runs every test.
 */
public enum TestProgram {
    DOCKER_REGISTRY("docker-registry", "docker-registry", "the local OCI registry image tests pull from"),
    HTPASSWD("htpasswd", "apache2-utils", "the registry's Basic-auth password file"),
    SKOPEO("skopeo", "skopeo", "pushes test images"),
    UMOCI("umoci", "umoci", "builds test images"),
    RDSQUASHFS("rdsquashfs", "squashfs-tools-ng", "reads single files out of squashfs images"),
    UNSQUASHFS("unsquashfs", "squashfs-tools", "lists and extracts squashfs images"),
    KEYTOOL("keytool", "openjdk-17-jdk-headless", "the token server's signing key"),
    BASH("bash", "bash", "scripts that build test images"),
    PYTHON3("python3", "python3", "examples/builds/compare.py checks built images against expected.yaml (needs python3-yaml)"),
    IP("ip", "iproute2", "network namespaces for network tests"),
    SS("ss", "iproute2", "listening sockets inside a namespace"),
    CURL("curl", "curl", "HTTP requests inside a namespace"),
    USERADD("useradd", "passwd", "a real unprivileged user for permission tests"),
    USERDEL("userdel", "passwd", "removes that user again"),
    RUNUSER("runuser", "util-linux", "runs a command as that user"),
    DEBUGFS("debugfs", "e2fsprogs", "reads owners, modes and xattrs out of volume images"),
    ETCD("etcd", "etcd-server", "etcd members for the etcd store's tests (EtcdServer)"),
    ETCDCTL("etcdctl", "etcd-client", "compacts etcd and reads its members' health in tests and bench/cluster.sh"),
    GVPROXY("gvproxy", null, "optional: GvproxyIT runs only where it is installed (not packaged for Debian 12)");

    private final String program;
    private final String debianPackage;
    private final String purpose;

    TestProgram(String program, String debianPackage, String purpose) {
        this.program = program;
        this.debianPackage = debianPackage;
        this.purpose = purpose;
    }

    public String program() {
        return program;
    }

    public Optional<String> debianPackage() {
        return Optional.ofNullable(debianPackage);
    }

    public String purpose() {
        return purpose;
    }
}
