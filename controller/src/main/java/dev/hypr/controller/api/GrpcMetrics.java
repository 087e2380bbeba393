package dev.hypr.controller.api;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Counts and times every API call by method and status code. */
final class GrpcMetrics implements ServerInterceptor {
    private final MeterRegistry registry;

    GrpcMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        Timer.Sample sample = Timer.start(registry);
        ServerCall<Q, R> timed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                sample.stop(Timer.builder("hypr_api_requests")
                        .description("gRPC API requests")
                        .tag("method", method)
                        .tag("code", status.getCode().name())
                        .register(registry));
                super.close(status, trailers);
            }
        };
        return next.startCall(timed, headers);
    }
}
