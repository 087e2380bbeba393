package dev.hypr.controller.vm;

/**
 * The image of a VM could not be pulled. Not terminal: the registry may come back, or the
 * image may be pushed later, so the VM controller reports it (ErrImagePull / ImagePullBackOff)
 * and retries with back-off.
 */
public final class ImagePullFailedException extends Exception implements dev.hypr.controller.runtime.ReportedFailure {
    private final String image;

    public ImagePullFailedException(String image, String message, Throwable cause) {
        super(message, cause);
        this.image = image;
    }

    public String image() {
        return image;
    }
}
