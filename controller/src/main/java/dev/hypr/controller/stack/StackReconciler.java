package dev.hypr.controller.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.model.ApiObject;
import dev.hypr.api.model.StackNetwork;
import dev.hypr.api.model.StackObjectRef;
import dev.hypr.api.model.StackService;
import dev.hypr.api.model.StackServiceStatus;
import dev.hypr.api.model.StackSpec;
import dev.hypr.api.model.StackStatus;
import dev.hypr.api.model.StackVolume;
import dev.hypr.api.model.VolumeMount;
import dev.hypr.api.validation.ObjectValidator;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.runtime.Reconciler;
import dev.hypr.controller.runtime.Result;
import dev.hypr.controller.runtime.SecondaryWatch;
import dev.hypr.controller.runtime.StatusWriter;
import dev.hypr.controller.store.ApplyResult;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps a Stack's VMs, Networks and Volumes converged (docs/compose.md "How a Stack runs"):
 * makes the stack's networks and named volumes, asks {@link StackPlanner} which VMs to create,
 * update or delete, does it, and writes the status. Deleting the Stack is the store's owner
 * garbage collection: VMs and Networks are owned by the Stack, named Volumes are not.
 */
@ApplicationScoped
public class StackReconciler implements Reconciler {
    static final String NAMED = "named";

    @Inject
    ObjectStore store;

    @Inject
    EventRecorder events;

    private final Clock clock = Clock.systemUTC();
    private final ObjectValidator validator = ObjectValidator.standard();

    @Override
    public Kind kind() {
        return Kind.STACK;
    }

    @Override
    public List<SecondaryWatch> secondaryWatches() {
        // a VM's phase, health and forwards make the stack's status and open its dependents' gates
        return List.of(SecondaryWatch.owners(Kind.VM, Kind.STACK));
    }

    @Override
    public Result reconcile(String name) {
        Optional<ObjectNode> found = store.get(Kind.STACK, name);
        if (found.isEmpty() || Objects.isBeingDeleted(found.get())) {
            return Result.done(); // owner garbage collection removes VMs and Networks
        }
        ObjectNode stack = found.get();
        ApiObject<StackSpec, StackStatus> typed = ApiObject.from(stack, StackSpec.class, StackStatus.class);
        StackSpec spec = typed.spec();
        ObjectNode owner = ownerReference(name, Objects.uid(stack));
        Map<String, String> serviceErrors = new HashMap<>();

        List<StackObjectRef> networks = networks(name, spec, owner, serviceErrors);
        List<StackObjectRef> volumes = namedVolumes(name, spec, serviceErrors);

        List<ObjectNode> vms = store.list(Kind.VM, o -> name.equals(o.path("metadata").path("labels").path(StackLabels.STACK).asText(null))).items();
        Map<String, String> restarts = StackLabels.restarts(stack);
        StackPlan plan = StackPlanner.plan(name, spec, restarts, vms.stream().map(ObservedVm::of).toList());
        Map<String, StackService> services = new LinkedHashMap<>();
        spec.services().forEach(s -> services.put(s.name(), s));
        for (StackPlan.VmWrite w : plan.writes()) {
            writeVm(name, spec, services.get(w.service()), w, restarts.get(w.service()), owner).ifPresent(err -> serviceErrors.merge(w.service(), err, (a, b) -> a + "; " + b));
        }
        for (String vm : plan.deletes()) {
            deleteQuietly(Kind.VM, vm);
            events.normal(Kind.STACK.kindName(), name, "DeletedVM", "deleted VM " + vm + " (no longer in the stack's services or replicas)");
        }

        List<StackServiceStatus> serviceStates = plan.services().stream().map(s -> serviceErrors.containsKey(s.name())
                ? new StackServiceStatus(s.name(), "Failed", s.replicas(), s.ready(), s.health(), s.specHash(), s.vms(), s.waitingFor(),
                        serviceErrors.get(s.name()), s.ports())
                : s).toList();
        ObjectNode status = StackStatusBuilder.build(stack.get("status"), Objects.generation(stack), clock.instant(), serviceStates,
                networks, volumes, plan.changesSomething());
        for (StackStatusBuilder.Flip f : StackStatusBuilder.flips(stack.path("status"), status)) {
            boolean bad = f.type().equals("Degraded") == f.now();
            String reason = f.type().equals("Ready") ? (f.now() ? "Ready" : "NotReady") : (f.now() ? "Degraded" : "Recovered");
            if (bad) {
                events.warning(Kind.STACK.kindName(), name, reason, f.message());
            } else {
                events.normal(Kind.STACK.kindName(), name, reason, f.message());
            }
        }
        if (!status.equals(stack.path("status"))) {
            new StatusWriter(store).replaceOwn(Kind.STACK, name, status, Set.of(ERROR_CONDITION));
        }
        return Result.done(); // VM changes wake us (secondary watch), and the periodic resync
    }

    /** The declared networks, plus "default" when a service uses it; owned by the Stack. */
    private List<StackObjectRef> networks(String stack, StackSpec spec, ObjectNode owner, Map<String, String> errors) {
        Map<String, String> subnets = new LinkedHashMap<>();
        if (spec.networks() != null) {
            spec.networks().forEach(n -> subnets.put(n.name(), n.subnet()));
        }
        boolean anyDefault = spec.services().stream().anyMatch(s -> s.networks() == null);
        if (anyDefault) {
            subnets.putIfAbsent(StackLabels.DEFAULT_NETWORK, null);
        }
        Set<String> wanted = new LinkedHashSet<>();
        List<StackObjectRef> refs = new ArrayList<>();
        subnets.forEach((net, subnet) -> {
            String object = StackLabels.networkObject(stack, net);
            wanted.add(object);
            refs.add(new StackObjectRef(net, object, null));
            ObjectNode manifest = manifest(Kind.NETWORK, object, Map.of(StackLabels.STACK, stack), Map.of(), owner);
            ObjectNode netSpec = manifest.putObject("spec");
            if (subnet != null) {
                netSpec.put("subnet", subnet);
            }
            netSpec.put("dns", true);
            applyIfChanged(manifest).ifPresent(err -> spec.services().stream()
                    .filter(s -> VmTemplates.networks(stack, s).contains(object))
                    .forEach(s -> errors.merge(s.name(), err, (a, b) -> a + "; " + b)));
        });
        for (ObjectNode n : store.list(Kind.NETWORK, o -> stack.equals(o.path("metadata").path("labels").path(StackLabels.STACK).asText(null))).items()) {
            String object = n.path("metadata").path("name").asText();
            if (!wanted.contains(object) && !Objects.isBeingDeleted(n)) {
                deleteQuietly(Kind.NETWORK, object);
                events.normal(Kind.STACK.kindName(), stack, "DeletedNetwork", "deleted Network " + object + " (no longer in the stack)");
            }
        }
        return refs;
    }

    /** Named volumes are labelled, not owned: deleting the Stack keeps them (docs/compose.md). */
    private List<StackObjectRef> namedVolumes(String stack, StackSpec spec, Map<String, String> errors) {
        List<StackObjectRef> refs = new ArrayList<>();
        if (spec.volumes() == null) {
            return refs;
        }
        for (StackVolume v : spec.volumes()) {
            if (Boolean.TRUE.equals(v.scratch())) {
                continue;
            }
            String object = StackLabels.volumeObject(stack, v);
            boolean external = Boolean.TRUE.equals(v.external());
            refs.add(new StackObjectRef(v.name(), object, external ? true : null));
            if (external) {
                continue;
            }
            Optional<ObjectNode> existing = store.get(Kind.VOLUME, object);
            long size = v.sizeMiB() == null ? 1024 : v.sizeMiB();
            if (existing.isPresent() && existing.get().path("spec").path("sizeMiB").asLong() >= size) {
                continue; // kept from an earlier run of the stack (or made by hand): never shrunk, never relabelled
            }
            ObjectNode manifest = manifest(Kind.VOLUME, object, Map.of(StackLabels.STACK, stack, StackLabels.VOLUME_KIND, NAMED), Map.of(), null);
            manifest.putObject("spec").put("sizeMiB", size);
            applyIfChanged(manifest).ifPresent(err -> spec.services().stream()
                    .filter(s -> s.volumes() != null && s.volumes().stream().anyMatch(m -> v.name().equals(m.volumeRef())))
                    .forEach(s -> errors.merge(s.name(), err, (a, b) -> a + "; " + b)));
        }
        return refs;
    }

    /** Applies one VM (and its scratch volumes); an error in words when it cannot. */
    private Optional<String> writeVm(String stack, StackSpec spec, StackService s, StackPlan.VmWrite w, String restart, ObjectNode owner) {
        Optional<ObjectNode> existing = store.get(Kind.VM, w.vm());
        if (existing.isPresent() && !stack.equals(existing.get().path("metadata").path("labels").path(StackLabels.STACK).asText(null))) {
            return Optional.of("VM " + w.vm() + " exists and does not belong to the stack; delete or rename it");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (s.labels() != null) {
            labels.putAll(s.labels());
        }
        labels.put(StackLabels.STACK, stack);
        labels.put(StackLabels.SERVICE, s.name());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(StackLabels.SPEC_HASH, w.hash());
        annotations.put(StackLabels.DNS_NAMES, String.join(",", dnsNames(s)));
        if (restart != null) {
            annotations.put(StackLabels.RESTART_PREFIX + s.name(), restart);
        }
        ObjectNode manifest = manifest(Kind.VM, w.vm(), labels, annotations, owner);
        manifest.set("spec", Json.MAPPER.valueToTree(w.spec()));
        List<ManifestError> invalid = validator.validate(new Manifest(manifest, new SourcePosition("stack/" + stack, 1, 1)));
        if (!invalid.isEmpty()) {
            return Optional.of("VM " + w.vm() + " would be invalid: " + invalid.stream()
                    .map(e -> e.fieldPath() + ": " + e.message()).collect(Collectors.joining("; ")));
        }
        List<ApplyResult> applied;
        try {
            applied = store.apply(List.of(manifest), false);
        } catch (StoreException e) {
            return Optional.of("cannot apply VM " + w.vm() + ": " + e.getMessage());
        }
        if (existing.isPresent() && Objects.generation(applied.get(0).object()) == Objects.generation(existing.get())) {
            // same spec, new hash (a restart request, or a restart: true dependency's): the VM controller
            // restarts only on a spec change, so delete the VM; the pass its deletion wakes creates it again
            deleteQuietly(Kind.VM, w.vm());
            events.normal(Kind.STACK.kindName(), stack, "RecreatingVM", "recreating VM " + w.vm() + " (service " + s.name()
                    + (restart == null ? " or a dependency" : "") + " restarted)");
            return Optional.empty();
        }
        events.normal(Kind.STACK.kindName(), stack, w.create() ? "CreatedVM" : "UpdatedVM",
                (w.create() ? "created VM " : "recreating VM ") + w.vm() + (w.create() ? "" : " (service " + s.name() + " changed)"));
        ObjectNode vmOwner = ownerReference(Kind.VM, w.vm(), Objects.uid(applied.get(0).object()));
        if (spec.volumes() != null && w.spec().volumes() != null) {
            for (StackVolume v : spec.volumes()) {
                if (!Boolean.TRUE.equals(v.scratch())) {
                    continue;
                }
                String object = StackLabels.scratchObject(w.vm(), v.name());
                if (w.spec().volumes().stream().map(VolumeMount::volumeRef).anyMatch(object::equals)) {
                    ObjectNode vol = manifest(Kind.VOLUME, object, Map.of(StackLabels.STACK, stack), Map.of(), vmOwner);
                    vol.putObject("spec").put("sizeMiB", v.sizeMiB() == null ? 1024 : v.sizeMiB());
                    Optional<String> err = applyIfChanged(vol);
                    if (err.isPresent()) {
                        return err;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The names the stack network's DNS answers with this service's VMs: the service, then its aliases. */
    static List<String> dnsNames(StackService s) {
        Set<String> names = new LinkedHashSet<>();
        names.add(s.name());
        if (s.aliases() != null) {
            s.aliases().forEach(a -> names.add(a.toLowerCase(java.util.Locale.ROOT)));
        }
        return List.copyOf(names);
    }

    private Optional<String> applyIfChanged(ObjectNode manifest) {
        Kind kind = Kind.fromKindName(manifest.path("kind").asText()).orElseThrow();
        String name = manifest.path("metadata").path("name").asText();
        List<ManifestError> invalid = validator.validate(new Manifest(manifest, new SourcePosition("stack", 1, 1)));
        if (!invalid.isEmpty()) {
            return Optional.of(kind.kindName() + " " + name + " would be invalid: " + invalid.stream()
                    .map(e -> e.fieldPath() + ": " + e.message()).collect(Collectors.joining("; ")));
        }
        Optional<ObjectNode> existing = store.get(kind, name);
        if (existing.isPresent() && same(existing.get(), manifest)) {
            return Optional.empty();
        }
        try {
            store.apply(List.of(manifest), false);
            return Optional.empty();
        } catch (StoreException e) {
            return Optional.of("cannot apply " + kind.kindName() + " " + name + ": " + e.getMessage());
        }
    }

    private static boolean same(ObjectNode stored, ObjectNode manifest) {
        JsonNode sm = stored.path("metadata");
        JsonNode mm = manifest.path("metadata");
        return stored.path("spec").equals(manifest.path("spec")) && sm.path("labels").equals(mm.path("labels"))
                && sm.path("ownerReferences").equals(mm.path("ownerReferences"));
    }

    private void deleteQuietly(Kind kind, String name) {
        try {
            store.delete(kind, name, 0);
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static ObjectNode manifest(Kind kind, String name, Map<String, String> labels, Map<String, String> annotations, ObjectNode owner) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("apiVersion", Kind.API_VERSION);
        m.put("kind", kind.kindName());
        ObjectNode meta = m.putObject("metadata");
        meta.put("name", name);
        if (!labels.isEmpty()) {
            meta.set("labels", Json.MAPPER.valueToTree(labels));
        }
        if (!annotations.isEmpty()) {
            meta.set("annotations", Json.MAPPER.valueToTree(annotations));
        }
        if (owner != null) {
            ArrayNode refs = meta.putArray("ownerReferences");
            refs.add(owner);
        }
        return m;
    }

    private static ObjectNode ownerReference(String stack, String uid) {
        return ownerReference(Kind.STACK, stack, uid);
    }

    private static ObjectNode ownerReference(Kind kind, String name, String uid) {
        ObjectNode ref = Json.MAPPER.createObjectNode();
        ref.put("apiVersion", Kind.API_VERSION);
        ref.put("kind", kind.kindName());
        ref.put("name", name);
        ref.put("uid", uid);
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        return ref;
    }
}
