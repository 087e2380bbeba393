package dev.hypr.controller.net.forward;

/** One listening socket of the proxy; closed means gone (also when closed from outside). */
interface ProxyListener extends AutoCloseable {
    Forward forward();

    boolean isOpen();

    @Override
    void close();
}
