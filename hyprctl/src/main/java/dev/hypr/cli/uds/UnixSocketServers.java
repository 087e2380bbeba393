package dev.hypr.cli.uds;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.okhttp.OkHttpServerBuilder;
import java.io.IOException;
import java.nio.file.Path;

/** A plaintext gRPC server on a Unix socket, for hyprctl's stand-in daemons (training run, tests). */
public final class UnixSocketServers {
    private UnixSocketServers() {
    }

    public static Server start(Path socket, BindableService... services) throws IOException {
        OkHttpServerBuilder builder = OkHttpServerBuilder.forPort(0, InsecureServerCredentials.create())
                .socketFactory(new UnixServerSocketFactory(socket));
        for (BindableService service : services) {
            builder.addService(service);
        }
        return builder.build().start();
    }
}
