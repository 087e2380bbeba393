package dev.hypr.controller.agent;

/** Frame types of the Kestrel protocol (guest/PROTOCOL.md). Host-to-guest types are below 0x80. */
public final class FrameType {
    public static final int HELLO_REQUEST = 0x01;
    public static final int PING = 0x02;
    public static final int POWEROFF = 0x03;
    public static final int EXEC = 0x04;
    public static final int STDIN = 0x05;
    public static final int STDIN_CLOSE = 0x06;
    public static final int RESIZE = 0x07;
    public static final int SIGNAL = 0x08;
    public static final int CONFIG = 0x09;

    public static final int HELLO = 0x81;
    public static final int PONG = 0x82;
    public static final int STARTED = 0x83;
    public static final int EXITED = 0x84;
    public static final int STDOUT = 0x85;
    public static final int STDERR = 0x86;
    public static final int ERROR = 0x87;
    public static final int LOG = 0x88;
    public static final int SHUTDOWN = 0x89;
    public static final int HEALTH = 0x8A;

    private FrameType() {}
}
