package dev.hypr.controller.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.model.EnvVar;
import dev.hypr.api.model.StackDependency;
import dev.hypr.api.model.StackFile;
import dev.hypr.api.model.StackService;
import dev.hypr.api.model.StackServiceStatus;
import dev.hypr.api.model.StackSpec;
import dev.hypr.api.model.StackVolume;
import dev.hypr.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackPlannerTest {
    private static StackService service(String name, List<EnvVar> env, Integer replicas, List<StackDependency> deps) {
        return new StackService(name, null, "/srv/rootfs.img", null, List.of("serve"), env, null, null,
                deps == null ? null : deps.stream().map(StackDependency::service).toList(), replicas, null, null, null, null, null,
                null, null, null, null, List.of(name.toUpperCase()), null, deps, null, null, null, null, null);
    }

    private static StackService db() {
        return service("db", List.of(new EnvVar("POSTGRES_DB", "shop")), null, null);
    }

    private static StackService web(String debug, Integer replicas) {
        return service("web", List.of(new EnvVar("DEBUG", debug)), replicas, List.of(new StackDependency("db", "Healthy", true, false)));
    }

    private static StackSpec spec(StackService... services) {
        return new StackSpec(List.of(services), null, null);
    }

    /** A VM that runs the current spec of its service, with the given phase and health. */
    private static ObservedVm vm(String service, int index, String hash, String phase, boolean ready, String healthy) {
        return new ObservedVm(StackLabels.vmName("shop", service, index), service, hash, true, phase, ready, healthy, null,
                "Succeeded".equals(phase) ? 0 : null, List.of(), false);
    }

    private static StackServiceStatus service(StackPlan plan, String name) {
        return plan.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static String hash(StackSpec spec, String service) {
        return service(StackPlanner.plan("shop", spec, List.of()), service).specHash();
    }

    @Test
    void independentServicesStartTogetherAndADependentWaitsForHealth() {
        StackSpec spec = spec(db(), web("false", 2), service("cache", null, null, null));
        StackPlan plan = StackPlanner.plan("shop", spec, List.of());
        assertEquals(List.of("shop-db-1", "shop-cache-1"), plan.writes().stream().map(StackPlan.VmWrite::vm).toList());
        StackServiceStatus web = service(plan, "web");
        assertEquals("Waiting", web.phase());
        assertEquals("db to be healthy", web.waitingFor());
        assertEquals(List.of("shop-web-1", "shop-web-2"), web.vms());

        // db running but not yet healthy: web still waits
        String dbHash = hash(spec, "db");
        plan = StackPlanner.plan("shop", spec, List.of(vm("db", 1, dbHash, "Running", false, "Unknown")));
        assertEquals("Waiting", service(plan, "web").phase());
        assertEquals("Starting", service(plan, "db").phase());
        assertEquals("Starting", service(plan, "db").health());

        // healthy: both web replicas are created in the same pass
        plan = StackPlanner.plan("shop", spec, List.of(vm("db", 1, dbHash, "Running", true, "True")));
        assertEquals(List.of("shop-cache-1", "shop-web-1", "shop-web-2"), plan.writes().stream().map(StackPlan.VmWrite::vm).sorted().toList());
        assertTrue(plan.writes().stream().allMatch(StackPlan.VmWrite::create));
        assertEquals("Running", service(plan, "db").phase());
        assertEquals("Healthy", service(plan, "db").health());
    }

    @Test
    void anUnchangedStackWritesNothingAndIsReady() {
        StackSpec spec = spec(db(), web("false", 2));
        List<ObservedVm> vms = running(spec);
        StackPlan plan = StackPlanner.plan("shop", spec, vms);
        assertFalse(plan.changesSomething(), plan.toString());
        plan.services().forEach(s -> assertEquals("Running", s.phase(), s.name()));
        assertEquals(2, service(plan, "web").ready());
    }

    @Test
    void editingOneServicesEnvironmentRewritesExactlyThatServicesVms() {
        StackSpec before = spec(db(), web("false", 2));
        StackSpec after = spec(db(), web("true", 2));
        StackPlan plan = StackPlanner.plan("shop", after, running(before));
        assertEquals(List.of("shop-web-1", "shop-web-2"), plan.writes().stream().map(StackPlan.VmWrite::vm).toList());
        assertTrue(plan.writes().stream().noneMatch(StackPlan.VmWrite::create));
        assertTrue(plan.deletes().isEmpty());
        assertEquals(hash(before, "db"), hash(after, "db"));
        assertEquals("Starting", service(plan, "web").phase());
    }

    @Test
    void scalingCreatesOrDeletesOnlyTheReplicasAboveTheCountAndKeepsTheHash() {
        StackSpec one = spec(db(), web("false", 1));
        StackSpec three = spec(db(), web("false", 3));
        assertEquals(hash(one, "web"), hash(three, "web"), "replicas are not part of the hash");
        StackPlan up = StackPlanner.plan("shop", three, running(one));
        assertEquals(List.of("shop-web-2", "shop-web-3"), up.writes().stream().map(StackPlan.VmWrite::vm).toList());
        assertTrue(up.deletes().isEmpty());
        StackPlan down = StackPlanner.plan("shop", one, running(three));
        assertTrue(down.writes().isEmpty());
        assertEquals(List.of("shop-web-2", "shop-web-3"), down.deletes());
    }

    @Test
    void servicesRemovedFromTheStackAreDeleted() {
        StackSpec both = spec(db(), web("false", 1));
        StackPlan plan = StackPlanner.plan("shop", spec(db()), running(both));
        assertEquals(List.of("shop-web-1"), plan.deletes());
        assertTrue(plan.writes().isEmpty());
        assertEquals(List.of("db"), plan.services().stream().map(StackServiceStatus::name).toList());
    }

    @Test
    void restartTrueMakesADependencysNewSpecRecreateItsDependents() {
        StackDependency restart = new StackDependency("db", "Started", true, true);
        StackSpec before = spec(db(), service("web", null, null, List.of(restart)));
        StackSpec after = spec(service("db", List.of(new EnvVar("POSTGRES_DB", "other")), null, null),
                service("web", null, null, List.of(restart)));
        assertNotEquals(hash(before, "web"), hash(after, "web"));
        StackDependency plain = new StackDependency("db", "Started", true, false);
        assertEquals(hash(spec(db(), service("web", null, null, List.of(plain))), "web"),
                hash(spec(service("db", List.of(new EnvVar("POSTGRES_DB", "other")), null, null), service("web", null, null, List.of(plain))), "web"));
        // the dependent waits for the dependency's new spec to run before it is rewritten
        StackPlan plan = StackPlanner.plan("shop", after, running(before));
        assertEquals(List.of("shop-db-1"), plan.writes().stream().map(StackPlan.VmWrite::vm).toList());
        assertEquals("Waiting", service(plan, "web").phase());
    }

    @Test
    void aNewRestartAnnotationRecreatesThatServiceThenItsRestartTrueDependentsAndAnAbsentOneNothing() {
        StackDependency restart = new StackDependency("db", "Healthy", true, true);
        StackSpec spec = spec(db(), service("web", null, null, List.of(restart)), service("cache", null, null, null));
        List<ObservedVm> vms = running(spec);
        assertFalse(StackPlanner.plan("shop", spec, java.util.Map.of(), vms).changesSomething(), "absent annotation: no restart");

        java.util.Map<String, String> first = java.util.Map.of("db", "2026-12-03T09:41:07.120Z");
        StackPlan plan = StackPlanner.plan("shop", spec, first, vms);
        assertEquals(List.of("shop-db-1"), plan.writes().stream().map(StackPlan.VmWrite::vm).toList());
        assertNotEquals(hash(spec, "db"), plan.writes().get(0).hash());
        assertEquals("Waiting", service(plan, "web").phase(), "web (restart: true) waits for db's new VM");

        // db's new VM healthy: web is recreated too, cache never
        String dbHash = service(plan, "db").specHash();
        List<ObservedVm> dbRestarted = new ArrayList<>(vms.stream().filter(v -> !v.service().equals("db")).toList());
        dbRestarted.add(vm("db", 1, dbHash, "Running", true, "True"));
        plan = StackPlanner.plan("shop", spec, first, dbRestarted);
        assertEquals(List.of("shop-web-1"), plan.writes().stream().map(StackPlan.VmWrite::vm).toList());

        // the same value again restarts nothing; a newer one restarts db again
        List<ObservedVm> allRestarted = new ArrayList<>(dbRestarted.stream().filter(v -> !v.service().equals("web")).toList());
        allRestarted.add(vm("web", 1, service(plan, "web").specHash(), "Running", true, null));
        assertFalse(StackPlanner.plan("shop", spec, first, allRestarted).changesSomething());
        plan = StackPlanner.plan("shop", spec, java.util.Map.of("db", "2026-12-03T09:50:00Z"), allRestarted);
        assertEquals(List.of("shop-db-1"), plan.writes().stream().map(StackPlan.VmWrite::vm).toList());
    }

    @Test
    void completedSuccessfullyWaitsForExitZeroAndAFailedJobFailsTheDependent() {
        StackService migrate = service("migrate", null, null, null);
        StackService app = service("app", null, null, List.of(new StackDependency("migrate", "CompletedSuccessfully", true, false)));
        StackSpec spec = spec(migrate, app);
        String h = hash(spec, "migrate");
        StackPlan running = StackPlanner.plan("shop", spec, List.of(vm("migrate", 1, h, "Running", true, null)));
        assertEquals("migrate to complete successfully", service(running, "app").waitingFor());
        StackPlan done = StackPlanner.plan("shop", spec, List.of(vm("migrate", 1, h, "Succeeded", false, null)));
        assertEquals("Completed", service(done, "migrate").phase());
        assertEquals(List.of("shop-app-1"), done.writes().stream().map(StackPlan.VmWrite::vm).toList());
        ObservedVm failed = new ObservedVm("shop-migrate-1", "migrate", h, true, "Failed", false, null,
                "the workload exited with code 3 and restartPolicy Never ended the VM", 3, List.of(), false);
        StackPlan bad = StackPlanner.plan("shop", spec, List.of(failed));
        assertEquals("Failed", service(bad, "app").phase());
        assertTrue(service(bad, "app").lastError().contains("dependency migrate failed"), service(bad, "app").lastError());
        assertTrue(service(bad, "migrate").lastError().contains("exited with code 3"));
        assertTrue(bad.writes().isEmpty());
    }

    @Test
    void anOptionalDependencyThatIsMissingOrFailedIsTolerated() {
        StackService app = service("app", null, null, List.of(new StackDependency("metrics", "Started", false, false)));
        assertEquals(List.of("shop-app-1"), StackPlanner.plan("shop", spec(app), List.of()).writes().stream().map(StackPlan.VmWrite::vm).toList());
        StackService metrics = service("metrics", null, null, null);
        StackSpec spec = spec(metrics, app);
        ObservedVm failed = new ObservedVm("shop-metrics-1", "metrics", hash(spec, "metrics"), true, "Failed", false, null, "boom", 1, List.of(), false);
        StackPlan plan = StackPlanner.plan("shop", spec, List.of(failed));
        assertEquals(List.of("shop-app-1"), plan.writes().stream().map(StackPlan.VmWrite::vm).toList());
        StackService strict = service("app", null, null, List.of(new StackDependency("metrics", "Started", true, false)));
        assertEquals("Failed", service(StackPlanner.plan("shop", spec(metrics, strict), List.of(failed)), "app").phase());
    }

    @Test
    void aVmStillOnItsOldGenerationDoesNotCountAsReady() {
        StackSpec spec = spec(db());
        ObservedVm stale = new ObservedVm("shop-db-1", "db", hash(spec, "db"), false, "Running", true, null, null, null, List.of(), false);
        StackPlan plan = StackPlanner.plan("shop", spec, List.of(stale));
        assertEquals(0, service(plan, "db").ready());
        assertEquals("Starting", service(plan, "db").phase());
        assertTrue(plan.writes().isEmpty());
    }

    @Test
    void secretsBecomeVmSecretFilesAndAnEnvironmentSecretIsAnErrorWithoutItsValue() {
        StackFile file = new StackFile("db-password", "/run/secrets/db_password", "/srv/secrets/db.txt", null, null);
        StackService withFile = new StackService("db", null, "/srv/rootfs.img", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, List.of(file), null);
        var built = VmTemplates.build("shop", spec(withFile), withFile, "shop-db-1");
        assertEquals(List.of(new dev.hypr.api.model.SecretFileMount("db_password", "/srv/secrets/db.txt")), built.spec().secrets());
        StackFile env = new StackFile("token", "/run/secrets/token", null, "API_TOKEN", null);
        StackService withEnv = new StackService("api", null, "/srv/rootfs.img", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, List.of(env), null);
        StackPlan plan = StackPlanner.plan("shop", spec(withEnv), List.of());
        assertEquals("Failed", service(plan, "api").phase());
        assertTrue(service(plan, "api").lastError().contains("API_TOKEN"), service(plan, "api").lastError());
        assertTrue(plan.writes().isEmpty());
    }

    @Test
    void composeHostnameBecomesTheVmsHostnameWhenItIsADnsLabel() {
        StackService named = new StackService("db", null, "/srv/rootfs.img", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, "database", null, null, null, null, null, null, null, null);
        assertEquals("database", VmTemplates.build("shop", spec(named), named, "shop-db-1").spec().hostname());
        StackService fqdn = new StackService("db", null, "/srv/rootfs.img", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, "db.example.com", null, null, null, null, null, null, null, null);
        var built = VmTemplates.build("shop", spec(fqdn), fqdn, "shop-db-1");
        assertEquals(null, built.spec().hostname());
        assertTrue(built.notes().stream().anyMatch(n -> n.contains("db.example.com is not a DNS label")), built.notes().toString());
    }

    @Test
    void volumesAndNetworksNameTheStacksObjects() {
        StackService s = new StackService("db", null, "/srv/rootfs.img", null, null, null, null,
                List.of(new VolumeMount("data", "data", null, "/var/lib/data", null), new VolumeMount("tmp", "db-scratch-2", null, "/tmp/x", null),
                        new VolumeMount("ext", "shared", null, "/shared", true)),
                null, null, null, null, null, null, List.of("back", "front"), null, null, null, null, null, null, null, null, null, null, null, null);
        StackSpec spec = new StackSpec(List.of(s), null, List.of(new StackVolume("data", null, null, null, null),
                new StackVolume("db-scratch-2", null, null, null, true), new StackVolume("shared", null, true, "shared-uploads", null)));
        var built = VmTemplates.build("shop", spec, s, "shop-db-1");
        assertEquals(List.of("shop-data", "shop-db-1-db-scratch-2", "shared-uploads"), built.spec().volumes().stream().map(VolumeMount::volumeRef).toList());
        assertEquals(null, built.spec().network(), "two compose networks: two NICs, no shorthand");
        assertEquals(List.of(new dev.hypr.api.model.VmNetwork("shop-back"), new dev.hypr.api.model.VmNetwork("shop-front")),
                built.spec().networks(), "in the service's order: back is eth0");
        assertEquals(List.of(), built.notes(), "nothing dropped");
        assertEquals(List.of("shop-back", "shop-front"), VmTemplates.networks("shop", s));
        StackService none = new StackService("n", null, "/r", null, null, null, null, null, null, null, null, null, null, null,
                List.of(), null, null, null, null, null, null, null, null, null, null, null, null);
        assertEquals("none", VmTemplates.network("shop", none));
        assertEquals("shop-default", VmTemplates.network("shop", db()));
    }

    @Test
    void stackStatusCountsReadyServicesAndReportsConditions() {
        StackSpec spec = spec(db(), web("false", 1));
        StackPlan waiting = StackPlanner.plan("shop", spec, List.of());
        var status = StackStatusBuilder.build(null, 3, java.time.Instant.EPOCH, waiting.services(), List.of(), List.of(), true);
        assertEquals("0/2", status.path("servicesReady").asText());
        assertEquals("Progressing", status.path("phase").asText());
        assertTrue(status.path("message").asText().contains("web waits for db to be healthy"), status.toString());
        StackPlan ready = StackPlanner.plan("shop", spec, running(spec));
        var readyStatus = StackStatusBuilder.build(status, 3, java.time.Instant.EPOCH, ready.services(), List.of(), List.of(), false);
        assertEquals("2/2", readyStatus.path("servicesReady").asText());
        assertEquals("Running", readyStatus.path("phase").asText());
        assertEquals(List.of("Ready"), StackStatusBuilder.flips(status, readyStatus).stream().map(StackStatusBuilder.Flip::type).toList());
        assertNull(readyStatus.path("services").get(0).get("waitingFor"));
    }

    /** Every replica of every service of {@code spec} running its current spec, ready and healthy. */
    private static List<ObservedVm> running(StackSpec spec) {
        List<ObservedVm> out = new ArrayList<>();
        for (StackService s : spec.services()) {
            String h = hash(spec, s.name());
            for (int i = 1; i <= StackPlanner.replicas(s); i++) {
                out.add(vm(s.name(), i, h, "Running", true, "True"));
            }
        }
        return out;
    }
}
