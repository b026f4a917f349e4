package org.jxenstored.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsMessage;

/**
 * A report that may be longer than a reply can carry (4096 bytes with its NUL, which libxenstore enforces): to a
 * file when the operator names one (as {@code memreport FILE}), else as the reply, cut after the last whole line
 * that fits, with a last line saying how many lines were left out and how to see them all.
 */
final class Report {
    /** What a reply may hold: the payload limit less the NUL. */
    static final int REPLY_MAX = XsMessage.PAYLOAD_MAX - 1;

    private Report() {
    }

    /** {@code text} as a reply, cut to fit; {@code command} names the command for the hint. */
    static String reply(String text, String command) {
        if (text.length() <= REPLY_MAX) {
            return text;
        }
        int end = REPLY_MAX;
        String note;
        while (true) {
            int cut = text.lastIndexOf('\n', end - 1) + 1;
            int left = countLines(text, cut);
            note = "... " + left + " more line" + (left == 1 ? "" : "s") + ": '" + command
                    + " FILE' writes them all to FILE\n";
            if (cut + note.length() <= REPLY_MAX || cut == 0) {
                return text.substring(0, cut) + note;
            }
            end = cut - 1;
        }
    }

    private static int countLines(String text, int from) {
        int n = 0;
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return text.isEmpty() || text.charAt(text.length() - 1) == '\n' ? n : n + 1;
    }

    /** Writes {@code text} to {@code file} (the daemon's path: relative to its working directory): "OK" or why not. */
    static String toFile(String text, String file) {
        try {
            Files.writeString(Path.of(file), text, StandardCharsets.UTF_8);
            return "OK";
        } catch (InvalidPathException e) {
            throw XsError.EINVAL.exception();
        } catch (IOException e) {
            return "cannot write " + file + ": " + e;
        }
    }
}
