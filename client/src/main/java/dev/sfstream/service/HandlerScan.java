package dev.sfstream.service;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the handler methods of the objects given to a {@link StreamingService} and checks each one, so that a wrong
 * signature, a mixed annotation or a method a proxy cannot reach fails the build with the method's name.
 */
final class HandlerScan {
    private HandlerScan() {
    }

    /** The bindings of every handler object, checked. */
    static List<Binding> scan(List<StreamingService.Handler> handlers, String apiVersion) {
        List<Binding> out = new ArrayList<>();
        for (StreamingService.Handler handler : handlers) {
            for (Method method : handler.type().getDeclaredMethods()) {
                Subscribe[] subscribes = method.getAnnotationsByType(Subscribe.class);
                HandleNotification[] notifications = method.getAnnotationsByType(HandleNotification.class);
                HandleSObjectNotification[] sobjects = method.getAnnotationsByType(HandleSObjectNotification.class);
                int kinds = (subscribes.length > 0 ? 1 : 0) + (notifications.length > 0 ? 1 : 0)
                        + (sobjects.length > 0 ? 1 : 0);
                if (kinds == 0) {
                    continue;
                }
                if (kinds > 1) {
                    throw new IllegalArgumentException(Binding.describe(method) + " mixes @Subscribe, "
                            + "@HandleNotification and @HandleSObjectNotification: each takes different first "
                            + "parameters; stack only one kind on a method");
                }
                if (Modifier.isStatic(method.getModifiers())) {
                    throw new IllegalArgumentException(Binding.describe(method) + " is static: handlers are instance "
                            + "methods");
                }
                method.setAccessible(true);
                Method invocable = invocable(handler, method);
                for (Subscribe s : subscribes) {
                    out.add(Binding.subscribe(handler.target(), method, invocable, s));
                }
                for (HandleNotification n : notifications) {
                    out.add(Binding.notification(handler.target(), method, invocable, n, apiVersion));
                }
                for (HandleSObjectNotification n : sobjects) {
                    out.add(Binding.sobjectNotification(handler.target(), method, invocable, n, apiVersion));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no handler methods: annotate methods with @Subscribe, "
                    + "@HandleNotification or @HandleSObjectNotification");
        }
        return out;
    }

    /**
     * The method to call on the handler object for a method declared on its type. For the type's own instance, the
     * method itself. For a subclass proxy (CGLIB), the same method too, which dispatches to the proxy's override; a
     * private or final method cannot be overridden, so a call would skip what the proxy adds and run on the proxy's
     * own, empty fields: it is refused. For an interface proxy (JDK), the method of an interface it implements.
     */
    private static Method invocable(StreamingService.Handler handler, Method method) {
        Class<?> proxyClass = handler.target().getClass();
        if (proxyClass == handler.type()) {
            return method;
        }
        if (handler.type().isInstance(handler.target())) {
            int modifiers = method.getModifiers();
            if (Modifier.isPrivate(modifiers) || Modifier.isFinal(modifiers)) {
                throw new IllegalArgumentException(Binding.describe(method) + " is "
                        + (Modifier.isPrivate(modifiers) ? "private" : "final") + ": the handler's proxy "
                        + proxyClass.getName() + " cannot override it, so a call would skip what the proxy adds (a "
                        + "transaction, a retry) and run on its empty fields; make the method package-private, "
                        + "protected or public, and not final");
            }
            return method;
        }
        try {
            return proxyClass.getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(Binding.describe(method) + " is not a public method of an interface "
                    + "that the handler's proxy " + proxyClass.getName() + " implements, so the proxy cannot be "
                    + "called with it: declare it in an interface, or proxy the class (CGLIB) instead", e);
        }
    }

}
