package dev.hypr.controller.api;

import dev.hypr.api.Json;
import dev.hypr.api.grpc.ImageInfo;
import dev.hypr.api.grpc.ImageLayer;
import dev.hypr.api.grpc.ImageRef;
import dev.hypr.api.grpc.LayerProgress;
import dev.hypr.api.grpc.LayerState;
import dev.hypr.api.grpc.PullImageProgress;
import dev.hypr.api.grpc.PullPhase;
import dev.hypr.controller.image.ImageConfig;
import dev.hypr.controller.image.ImageTag;
import dev.hypr.controller.image.PullJob;
import dev.hypr.controller.image.PullSnapshot;
import dev.hypr.controller.image.StoredImage;
import java.util.List;

/** Image store records and pull snapshots as the wire carries them. */
final class ImageWire {
    private ImageWire() {
    }

    static ImageInfo info(StoredImage s, List<String> usedBy) {
        ImageConfig config = s.image().config();
        String platform = config.os().isEmpty() || config.architecture().isEmpty()
                ? s.tags().stream().map(ImageTag::platform).findFirst().orElse("")
                : config.os() + "/" + config.architecture();
        ImageInfo.Builder b = ImageInfo.newBuilder()
                .setDigest(s.digest().toString())
                .setPlatform(platform)
                .setSizeBytes(s.image().compressedSize())
                .setConfigJson(Json.write(Json.MAPPER.valueToTree(config)))
                .setRootfs(s.image().rootfs().toString())
                .setRootfsSizeBytes(s.rootfsBytes())
                .setPulledAtMillis(s.pulledAt().toEpochMilli())
                .addAllUsedBy(usedBy);
        s.tags().forEach(t -> b.addRefs(ImageRef.newBuilder().setRef(t.ref()).setPlatform(t.platform())));
        s.layers().forEach(l -> b.addLayers(ImageLayer.newBuilder().setDigest(l.digest().toString()).setSizeBytes(l.size())));
        return b.build();
    }

    static PullImageProgress.Builder progress(PullJob job, PullSnapshot s, long nowMillis) {
        PullImageProgress.Builder b = PullImageProgress.newBuilder()
                .setPhase(phase(s.phase()))
                .setRef(job.ref().toString())
                .setPlatform(job.platform().toString())
                .setBytesDone(s.bytesDone())
                .setBytesTotal(s.bytesTotal())
                .setTimestampMillis(nowMillis)
                .setUpToDate(s.upToDate());
        if (s.digest() != null) {
            b.setDigest(s.digest().toString());
        }
        for (PullSnapshot.Layer l : s.layers()) {
            b.addLayers(LayerProgress.newBuilder().setDigest(l.digest().toString()).setSizeBytes(l.size())
                    .setBytesDone(l.done()).setState(state(l.state())));
        }
        return b;
    }

    static PullPhase phase(PullSnapshot.Phase p) {
        return switch (p) {
            case RESOLVING -> PullPhase.PULL_RESOLVING;
            case DOWNLOADING -> PullPhase.PULL_DOWNLOADING;
            case EXTRACTING -> PullPhase.PULL_EXTRACTING;
            case SQUASHING -> PullPhase.PULL_SQUASHING;
            case DONE -> PullPhase.PULL_DONE;
            case FAILED -> PullPhase.PULL_FAILED;
        };
    }

    static LayerState state(PullSnapshot.LayerState s) {
        return switch (s) {
            case WAITING -> LayerState.LAYER_WAITING;
            case DOWNLOADING -> LayerState.LAYER_DOWNLOADING;
            case DOWNLOADED -> LayerState.LAYER_DOWNLOADED;
            case EXTRACTING -> LayerState.LAYER_EXTRACTING;
            case DONE -> LayerState.LAYER_DONE;
            case EXISTS -> LayerState.LAYER_EXISTS;
        };
    }
}
