package dev.hypr.controller.image;

import dev.hypr.controller.image.layer.LayerRejectedException;
import dev.hypr.controller.image.ref.InvalidReferenceException;
import dev.hypr.controller.image.registry.RegistryException;

/**
 * Why a pull failed, as a condition reason and message: the same words for an Image's
 * {@code Pulled} condition and for {@code PullImage}'s last message.
 */
public record PullFailure(String reason, String message) {
    public static PullFailure of(Throwable e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof InvalidReferenceException) {
            return new PullFailure("InvalidReference", message);
        }
        if (e instanceof ImageNotPresentException) {
            return new PullFailure("ErrImageNeverPull", message);
        }
        if (e instanceof RegistryException r) {
            return new PullFailure(r.failure().name(), message);
        }
        if (e instanceof LayerRejectedException) {
            return new PullFailure("LayerRejected", message);
        }
        return new PullFailure("PullFailed", message);
    }
}
