package org.jxenstored.daemon;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments the launcher was given, from those the daemon got: the launcher adds {@code --daemonized} and
 * {@code --ready-file FILE} when it detaches, which mean nothing to a live-update successor (it is not detached,
 * and nobody waits for its ready file).
 */
final class LauncherArgs {
    private LauncherArgs() {
    }

    static List<String> original(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--daemonized") || a.startsWith("--ready-file=")) {
                continue;
            }
            if (a.equals("--ready-file")) {
                i++;
                continue;
            }
            out.add(a);
        }
        return out;
    }
}
