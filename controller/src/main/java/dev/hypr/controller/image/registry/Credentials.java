package dev.hypr.controller.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A username and password (or identity token as password) for one registry. */
public record Credentials(String username, String password) {

    /** Decodes the {@code auth} field of a docker config entry: base64("user:password"). */
    public static Credentials fromAuthField(String auth) {
        String decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("auth field is not base64(user:password)");
        }
        return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    public String authField() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public String basicHeader() {
        return "Basic " + authField();
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ****]";
    }
}
