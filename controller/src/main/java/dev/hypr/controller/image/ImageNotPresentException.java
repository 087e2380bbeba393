package dev.hypr.controller.image;

/** pullPolicy Never and the image is not stored locally. */
public class ImageNotPresentException extends Exception {
    public ImageNotPresentException(String message) {
        super(message);
    }
}
