package dev.hypr.controller.image;

/** A delete would take away an image (or a reference) that VMs or Image objects still use. */
public class ImageInUseException extends Exception {
    public ImageInUseException(String message) {
        super(message);
    }
}
