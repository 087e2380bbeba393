package dev.hypr.controller.image.layer;

import java.io.IOException;

/** A layer tried something a rootfs must not contain or do; nothing outside the rootfs was touched. */
public class LayerRejectedException extends IOException {
    public LayerRejectedException(String message) {
        super(message);
    }
}
