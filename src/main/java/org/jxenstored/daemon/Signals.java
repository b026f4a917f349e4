package org.jxenstored.daemon;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Signal handlers the JVM does not provide through a public API: SIGHUP (reopen logs). SIGTERM and SIGINT keep
 * the JVM's own handling, which runs the shutdown hook (a clean stop). Uses {@code sun.misc.Signal} (module
 * jdk.unsupported) by reflection, so that a JVM without it only loses the SIGHUP handler.
 */
final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on the JVM's signal thread for every {@code name} signal; false if not possible. */
    static boolean handle(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            InvocationHandler ih = (Object proxy, Method m, Object[] args) -> {
                switch (m.getName()) {
                    case "handle":
                        action.run();
                        return null;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        return "SignalHandler(" + name + ")";
                }
            };
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType}, ih);
            Object sig = signal.getConstructor(String.class).newInstance(name);
            signal.getMethod("handle", signal, handlerType).invoke(null, sig, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
