package org.jxenstored.xen.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jxenstored.os.UnixDatagramSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of the shared-directory simulator's event channels: a datagram socket bound in the directory and a thread
 * blocked in receive (no polling: the machines this runs on have two cores), handing each message to a consumer.
 */
final class DatagramListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramListener.class);
    private static final long JOIN_MILLIS = 5000;

    private final UnixDatagramSocket socket;
    private final Consumer<String> onMessage;
    private final Thread thread;

    private DatagramListener(UnixDatagramSocket socket, Consumer<String> onMessage, String threadName) {
        this.socket = socket;
        this.onMessage = onMessage;
        this.thread = new Thread(this::receiveLoop, threadName);
        thread.setDaemon(true);
    }

    /** Binds {@code path} (replacing a dead process's file) and starts receiving. */
    static DatagramListener start(Path path, Consumer<String> onMessage, String threadName) throws IOException {
        DatagramListener l = new DatagramListener(UnixDatagramSocket.bind(path), onMessage, threadName);
        l.thread.start();
        return l;
    }

    /** Sends from this end's socket; false when the message was dropped (nobody bound there, or a full queue). */
    boolean send(Path to, String message) {
        return socket.send(to, message.getBytes(StandardCharsets.US_ASCII));
    }

    private void receiveLoop() {
        byte[] buffer = new byte[256];
        try {
            int n;
            while ((n = socket.receive(buffer)) >= 0) {
                String message = new String(buffer, 0, n, StandardCharsets.US_ASCII);
                try {
                    onMessage.accept(message);
                } catch (RuntimeException e) {
                    LOG.warn("{}: message '{}' not handled: {}", socket.path(), message, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: no more event channel messages: {}", socket.path(), e.getMessage());
        }
    }

    /** Stops the thread, then closes the socket and removes its file. */
    @Override
    public void close() {
        socket.shutdown();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive() || Thread.currentThread() == thread) {
            socket.close();
        } // else: leave the descriptor open rather than let a late recv() read a reused one
    }
}
