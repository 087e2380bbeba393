package dev.hypr.controller.api;

import com.google.protobuf.ByteString;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.ExecExit;
import dev.hypr.api.grpc.ExecInput;
import dev.hypr.api.grpc.ExecOutput;
import dev.hypr.api.grpc.ExecStart;
import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.AgentUnavailableException;
import dev.hypr.controller.agent.ExecRequest;
import dev.hypr.controller.agent.ExecSession;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.vm.VmRuntimes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/**
 * The Exec RPC: one gRPC stream ↔ one Kestrel exec session. Output arrives on the agent's
 * reader thread and is handed to gRPC without blocking (a blocked reader would stall every
 * stream of the VM), so a client that never reads lets output queue in hyprd; exec output is
 * interactive-sized, which makes that the better trade than stalling the workload's logs.
 */
final class ExecService {
    private static final int SIGKILL = 9;

    private final ObjectStore store;
    private final VmRuntimes vms;

    ExecService(ObjectStore store, VmRuntimes vms) {
        this.store = store;
        this.vms = vms;
    }

    StreamObserver<ExecInput> exec(StreamObserver<ExecOutput> responses) {
        return new Call((ServerCallStreamObserver<ExecOutput>) responses);
    }

    private final class Call implements StreamObserver<ExecInput> {
        private final ServerCallStreamObserver<ExecOutput> out;
        private ExecSession session;
        private boolean finished;

        Call(ServerCallStreamObserver<ExecOutput> out) {
            this.out = out;
        }

        @Override
        public void onNext(ExecInput in) {
            try {
                if (in.hasStart()) {
                    start(in.getStart());
                    return;
                }
                if (session == null) {
                    throw Status.FAILED_PRECONDITION.withDescription("the first message of Exec must be start").asRuntimeException();
                }
                switch (in.getInputCase()) {
                    case STDIN -> session.writeStdin(in.getStdin().toByteArray());
                    case RESIZE -> session.resize(in.getResize().getCols(), in.getResize().getRows());
                    case CLOSE_STDIN -> session.closeStdin();
                    case SIGNAL -> session.signal(in.getSignal());
                    default -> { }
                }
            } catch (StatusRuntimeException e) {
                fail(e);
            } catch (AgentUnavailableException e) {
                fail(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            }
        }

        private void start(ExecStart start) {
            if (session != null) {
                throw Status.FAILED_PRECONDITION.withDescription("exec already started").asRuntimeException();
            }
            if (start.getArgvCount() == 0) {
                throw Status.INVALID_ARGUMENT.withDescription("exec needs a command").asRuntimeException();
            }
            String vm = start.getVm();
            Optional<com.fasterxml.jackson.databind.node.ObjectNode> object = store.get(Kind.VM, vm);
            if (object.isEmpty()) {
                throw Status.NOT_FOUND.withDescription("vm \"" + vm + "\" not found").asRuntimeException();
            }
            // hyprd is up and answering: a VM that is not running is a precondition, not an unreachable daemon
            AgentConnection agent = vms.agent(vm).orElseThrow(() -> GrpcErrors.notRunning(object.get()));
            ExecRequest request = new ExecRequest(start.getArgvList(), start.getEnvList(), nonEmpty(start.getWorkingDir()),
                    nonEmpty(start.getUser()), start.getTty(), start.getCols(), start.getRows());
            session = agent.exec(request,
                    b -> send(ExecOutput.newBuilder().setStdout(ByteString.copyFrom(b)).build()),
                    b -> send(ExecOutput.newBuilder().setStderr(ByteString.copyFrom(b)).build()));
            session.exitCode().whenComplete((code, error) -> {
                if (error != null) {
                    fail(Status.UNAVAILABLE.withDescription("the guest agent went away: " + error.getMessage()).asRuntimeException());
                    return;
                }
                ExecExit.Builder exit = ExecExit.newBuilder().setCode(code);
                Optional.ofNullable(session.error()).ifPresent(exit::setError);
                send(ExecOutput.newBuilder().setExit(exit).build());
                complete();
            });
        }

        @Override
        public void onError(Throwable t) {
            // the client went away (Ctrl-C, broken pipe): do not leave the command running in the guest
            killQuietly();
        }

        @Override
        public void onCompleted() {
            // half-close from the client means no more input; the exit code still follows
            if (session != null && !finished) {
                try {
                    session.closeStdin();
                } catch (AgentUnavailableException ignored) {
                    // the session is ending anyway
                }
            }
        }

        private void killQuietly() {
            if (session != null && !session.exitCode().isDone()) {
                try {
                    session.signal(SIGKILL);
                } catch (AgentUnavailableException ignored) {
                    // nothing left to kill
                }
            }
        }

        private synchronized void send(ExecOutput o) {
            if (!finished && !out.isCancelled()) {
                out.onNext(o);
            }
        }

        private synchronized void complete() {
            if (!finished) {
                finished = true;
                out.onCompleted();
            }
        }

        private synchronized void fail(StatusRuntimeException e) {
            if (!finished) {
                finished = true;
                killQuietly();
                out.onError(e);
            }
        }
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
