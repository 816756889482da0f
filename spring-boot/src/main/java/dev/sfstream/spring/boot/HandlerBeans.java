package dev.sfstream.spring.boot;

import dev.sfstream.service.HandleNotification;
import dev.sfstream.service.HandleSObjectNotification;
import dev.sfstream.service.Subscribe;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Finds the beans with handler methods ({@link Subscribe}, {@link HandleNotification},
 * {@link HandleSObjectNotification}) as the context creates them. The annotations are read from the bean's own
 * class, not from a proxy's (a {@code @Transactional} or other AOP proxy carries none), and the handlers are later
 * called through the bean as the context holds it, proxy included, so that what the proxy adds applies.
 * Thread-safe.
 */
public class HandlerBeans implements BeanPostProcessor {
    /**
     * A bean with handler methods.
     *
     * @param name the bean's name
     * @param bean the bean, as the context holds it (a proxy, when it is proxied)
     * @param type the class its handler methods are declared on
     */
    public record HandlerBean(String name, Object bean, Class<?> type) {
    }

    private final List<HandlerBean> beans = new CopyOnWriteArrayList<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.isAopProxy(bean) ? AopProxyUtils.ultimateTargetClass(bean)
                : ClassUtils.getUserClass(bean);
        if (hasHandlerMethods(type)) {
            beans.add(new HandlerBean(beanName, bean, type));
        }
        return bean;
    }

    /** The handler beans found so far, in the order the context created them. */
    public List<HandlerBean> beans() {
        return List.copyOf(beans);
    }

    /** Whether a class declares a method with a handler annotation, as the service looks for them. */
    static boolean hasHandlerMethods(Class<?> type) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.getAnnotationsByType(Subscribe.class).length > 0
                    || method.getAnnotationsByType(HandleNotification.class).length > 0
                    || method.getAnnotationsByType(HandleSObjectNotification.class).length > 0) {
                return true;
            }
        }
        return false;
    }
}
