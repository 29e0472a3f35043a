package dev.switchboard.app.http;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.core.Gateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/** PLACEHOLDER with the HTTP layer's signature (branch app-http) so this branch compiles; removed before merge. */
public final class GatewayServer {
    private final ServerSocket socket;

    private GatewayServer(ServerSocket socket) {
        this.socket = socket;
    }

    public static GatewayServer start(Gateway gateway, ServerSettings settings) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(settings.host(), settings.port()));
            return new GatewayServer(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void stop(Duration drain) {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
