package dev.hypr.controller.net.bridge;

/** The host cannot give a VM its bridge network: hyprd is not root, or ip/nft failed. */
public class NetworkUnavailableException extends RuntimeException {
    public NetworkUnavailableException(String message) {
        super(message);
    }
}
