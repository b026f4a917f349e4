package org.jxenstored.control;

import java.util.ArrayList;
import java.util.List;

/**
 * The successor's command line, as C's {@code lu_activate_binary} builds it: the binary, then either {@code -c}'s
 * command line split on blanks and tabs or the daemon's own original arguments, then {@code -U} unless already
 * there.
 */
final class SuccessorArgv {
    static final String LIVE_UPDATE_OPTION = "-U";

    private SuccessorArgv() {
    }

    /**
     * @param binary the new binary ({@code argv[0]})
     * @param cmdline {@code -c}'s command line, or null
     * @param originalArgs the daemon's own arguments (without its program name)
     */
    static List<String> of(String binary, String cmdline, List<String> originalArgs) {
        List<String> argv = new ArrayList<>();
        argv.add(binary);
        if (cmdline != null) {
            for (String word : cmdline.split("[ \t]+")) {
                if (!word.isEmpty()) {
                    argv.add(word);
                }
            }
        } else {
            argv.addAll(originalArgs);
        }
        if (!argv.subList(1, argv.size()).contains(LIVE_UPDATE_OPTION)) {
            argv.add(LIVE_UPDATE_OPTION);
        }
        return argv;
    }
}
