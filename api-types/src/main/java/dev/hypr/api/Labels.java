package dev.hypr.api;

import java.util.Optional;
import java.util.regex.Pattern;

/** Kubernetes rules for label and annotation keys and label values. */
public final class Labels {
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(DNS_LABEL + "(\\." + DNS_LABEL + ")*");

    private Labels() {
    }

    /** Why a key ("app", "hypr.dev/stack") is invalid, if it is. */
    public static Optional<String> keyProblem(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("key prefix \"" + prefix + "\" must be a DNS subdomain (lowercase, dots, at most 253)");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            return Optional.of("key \"" + key + "\" must be at most 63 characters of letters, digits, '-', '_' or '.',"
                    + " starting and ending with a letter or digit, optionally after a DNS prefix and '/'");
        }
        return Optional.empty();
    }

    /** Why a label value is invalid, if it is; the empty value is valid. */
    public static Optional<String> valueProblem(String value) {
        if (value.isEmpty() || value.length() <= 63 && NAME.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of("value \"" + value + "\" must be empty or at most 63 characters of letters, digits,"
                + " '-', '_' or '.', starting and ending with a letter or digit");
    }

    /** Object names are DNS-1123 labels, so they can be host names and file names. */
    public static Optional<String> nameProblem(String name) {
        if (name.length() <= 63 && DNS_LABEL.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of("\"" + name + "\" is not a valid name: at most 63 lowercase letters, digits and '-',"
                + " starting and ending with a letter or digit");
    }
}
