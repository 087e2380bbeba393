package dev.hypr.controller.store.etcd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.controller.events.EventLog;
import dev.hypr.controller.events.EventRecord;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Events in etcd, one key per event identity ({@code PREFIX/KIND/NAME/HASH} of type, reason and
 * message), so a folded repeat overwrites its record as SQLite's upsert does. Each hyprd's
 * recorder writes its own events; all nodes' events are in etcd, and a recorder loads them at
 * start (events other nodes record later are seen after that node's next start).
 */
public final class EtcdEventLog implements EventLog {
    private final Client client;
    private final String prefix;

    public EtcdEventLog(Client client, String prefix) {
        this.client = client;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    @Override
    public void append(List<EventRecord> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Op> puts = new ArrayList<>();
        for (EventRecord e : events) {
            puts.add(Op.put(key(e), bytes(Json.write(toJson(e))), PutOption.DEFAULT));
        }
        EtcdObjectStore.call(client.getKVClient().txn().Then(puts.toArray(Op[]::new)).commit());
    }

    @Override
    public List<EventRecord> list() {
        return read(prefix);
    }

    @Override
    public List<EventRecord> list(String kind, String name) {
        return read(prefix + kind + "/" + name + "/");
    }

    @Override
    public int prune(Instant cutoff, int max) {
        List<EventRecord> all = list();
        List<EventRecord> drop = new ArrayList<>();
        List<EventRecord> kept = new ArrayList<>();
        for (EventRecord e : all) {
            (e.lastSeen().isBefore(cutoff) ? drop : kept).add(e);
        }
        if (kept.size() > max) {
            drop.addAll(kept.subList(0, kept.size() - max)); // oldest first
        }
        for (EventRecord e : drop) {
            EtcdObjectStore.call(client.getKVClient().delete(key(e), DeleteOption.DEFAULT));
        }
        return drop.size();
    }

    private List<EventRecord> read(String under) {
        List<EventRecord> out = new ArrayList<>();
        for (KeyValue kv : EtcdObjectStore.call(client.getKVClient().get(bytes(under), GetOption.builder().isPrefix(true).build())).getKvs()) {
            out.add(fromJson(Json.parseObject(kv.getValue().toString(StandardCharsets.UTF_8))));
        }
        out.sort(Comparator.comparingLong(EventRecord::sequence).thenComparing(EventRecord::lastSeen));
        return out;
    }

    private ByteSequence key(EventRecord e) {
        return bytes(prefix + e.kind() + "/" + e.name() + "/" + identity(e));
    }

    private static String identity(EventRecord e) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest((e.type() + "\n" + e.reason() + "\n" + (e.message() == null ? "" : e.message())).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ObjectNode toJson(EventRecord e) {
        return Json.MAPPER.createObjectNode()
                .put("sequence", e.sequence()).put("kind", e.kind()).put("name", e.name()).put("type", e.type().name())
                .put("reason", e.reason()).put("message", e.message() == null ? "" : e.message())
                .put("firstSeen", e.firstSeen().toEpochMilli()).put("lastSeen", e.lastSeen().toEpochMilli())
                .put("count", e.count());
    }

    private static EventRecord fromJson(ObjectNode o) {
        return new EventRecord(o.path("sequence").asLong(), o.path("kind").asText(), o.path("name").asText(),
                EventRecord.Type.valueOf(o.path("type").asText()), o.path("reason").asText(), o.path("message").asText(),
                Instant.ofEpochMilli(o.path("firstSeen").asLong()), Instant.ofEpochMilli(o.path("lastSeen").asLong()),
                o.path("count").asInt());
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
