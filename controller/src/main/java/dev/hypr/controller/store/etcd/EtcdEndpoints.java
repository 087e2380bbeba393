package dev.hypr.controller.store.etcd;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** {@code HYPR_STORE=etcd://host:port,host:port,...}: the etcd members a hyprd talks to. */
public final class EtcdEndpoints {
    public static final String SCHEME = "etcd://";

    private EtcdEndpoints() {
    }

    public static boolean isEtcd(String store) {
        return store != null && store.startsWith(SCHEME);
    }

    /** The members as gRPC endpoint URLs (http://host:port); a clear error names what is wrong. */
    public static List<String> parse(String store) {
        if (!isEtcd(store)) {
            throw new IllegalArgumentException("HYPR_STORE=" + store + ": expected etcd://host:port[,host:port...] (or unset for SQLite)");
        }
        List<String> endpoints = new ArrayList<>();
        for (String member : store.substring(SCHEME.length()).split(",")) {
            String m = member.strip();
            URI uri = URI.create("http://" + m);
            if (m.isEmpty() || uri.getHost() == null || uri.getPort() < 1 || !(uri.getPath() == null || uri.getPath().isEmpty())) {
                throw new IllegalArgumentException("HYPR_STORE=" + store + ": member '" + m + "' is not host:port");
            }
            endpoints.add("http://" + uri.getHost() + ":" + uri.getPort());
        }
        return endpoints;
    }
}
