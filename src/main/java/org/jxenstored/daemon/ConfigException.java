package org.jxenstored.daemon;

/** A configuration error (file or command line): the daemon reports the message and exits with status 2. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
