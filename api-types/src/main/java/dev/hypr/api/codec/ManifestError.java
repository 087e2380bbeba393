package dev.hypr.api.codec;

/**
 * One problem found in a manifest: {@code FILE:LINE:COL: Kind/name: field.path: message}.
 * objectRef and fieldPath may be empty when the problem is not inside an object or field.
 */
public record ManifestError(SourcePosition position, String objectRef, String fieldPath, String message) {
    public String format() {
        StringBuilder sb = new StringBuilder(position.toString()).append(": ");
        if (objectRef != null && !objectRef.isEmpty()) {
            sb.append(objectRef).append(": ");
        }
        if (fieldPath != null && !fieldPath.isEmpty()) {
            sb.append(fieldPath).append(": ");
        }
        return sb.append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
