package dev.hypr.controller.schedule;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * One etcd election (jetcd's {@code Election}, etcd's v3election service): campaign on a lease of
 * our own, lead while the lease lives. Leadership is believed only while the lease was renewed
 * less than its TTL ago (the same rule as a node's fencing), so a leader cut off from etcd stops
 * acting before another can be elected. {@link #awaitLeadership()} blocks until this hyprd leads.
 */
final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);
    private final Client client;
    private final ByteSequence election;
    private final ByteSequence proposal;
    private final long ttlSeconds;
    private final LongSupplier nanoTime;
    private volatile long leaseId;
    private volatile long lastRenewal;
    private volatile LeaderKey key;
    private volatile CloseableClient keepAlive;
    private volatile boolean closed;

    LeaderElection(Client client, String electionName, String candidate, long ttlSeconds, LongSupplier nanoTime) {
        this.client = client;
        this.election = ByteSequence.from(electionName, StandardCharsets.UTF_8);
        this.proposal = ByteSequence.from(candidate, StandardCharsets.UTF_8);
        this.ttlSeconds = ttlSeconds;
        this.nanoTime = nanoTime;
    }

    /** Whether we lead now: elected, and our lease renewed within its TTL. */
    boolean leading() {
        return key != null && !closed && nanoTime.getAsLong() - lastRenewal < TimeUnit.SECONDS.toNanos(ttlSeconds);
    }

    /** Campaigns on a fresh lease until elected (etcd answers when the previous leader's key is gone). */
    void awaitLeadership() throws Exception {
        stepDown();
        long id = client.getLeaseClient().grant(ttlSeconds).get(30, TimeUnit.SECONDS).getID();
        leaseId = id;
        lastRenewal = nanoTime.getAsLong();
        keepAlive = client.getLeaseClient().keepAlive(id, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                if (r.getTTL() > 0) {
                    lastRenewal = nanoTime.getAsLong();
                }
            }

            @Override
            public void onError(Throwable t) {
                LOG.warnf("scheduler election lease lost: %s", t.toString());
                lastRenewal = Long.MIN_VALUE / 2; // not leading any more
            }

            @Override
            public void onCompleted() {
            }
        });
        // blocks until elected; fails when etcd or the lease goes away
        key = client.getElectionClient().campaign(election, id, proposal).get().getLeader();
    }

    /** Gives leadership up (a clean stop lets another hyprd lead at once). */
    void stepDown() {
        LeaderKey held = key;
        key = null;
        CloseableClient k = keepAlive;
        keepAlive = null;
        if (k != null) {
            k.close();
        }
        if (held != null) {
            try {
                client.getElectionClient().resign(held).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("resign: %s", e.toString());
            }
        }
        long id = leaseId;
        leaseId = 0;
        if (id != 0) {
            try {
                client.getLeaseClient().revoke(id).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("revoke: %s", e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        stepDown();
    }
}
