package dev.hypr.controller.image;

/** Nothing in the store matches a reference, digest or digest prefix. */
public class NoSuchImageException extends Exception {
    public NoSuchImageException(String message) {
        super(message);
    }
}
