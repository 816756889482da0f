package dev.sfstream.service;

import dev.sfstream.soql.NotifyForFields;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a PushTopic when the service starts (creating it, or updating the topic of that name), then handles its
 * notifications. Repeatable: stack several on one method.
 *
 * <p>The method takes {@code (String name, EVENT event)}; EVENT as for {@link Subscribe}.
 *
 * <pre>{@code
 * @HandleNotification(name = "ContactNameUpdated",
 *         query = "SELECT Id, FirstName, LastName FROM Contact",
 *         notifyForFields = NotifyForFields.SELECT, notifyForOperationCreate = false)
 * void onContactName(String name, StreamingEvent event) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(HandleNotification.List.class)
public @interface HandleNotification {
    /** The PushTopic name (the channel is {@code /topic/<name>}), at most 25 characters. */
    String name();

    /** The PushTopic query; checked offline with Salesforce's rules when the service starts. */
    String query();

    /** Which field changes notify on update; Referenced by default, as in Salesforce. */
    NotifyForFields notifyForFields() default NotifyForFields.REFERENCED;

    boolean notifyForOperationCreate() default true;

    boolean notifyForOperationUpdate() default true;

    boolean notifyForOperationDelete() default true;

    boolean notifyForOperationUndelete() default true;

    /** The PushTopic's description. */
    String description() default "";

    /** The PushTopic's API version; empty for the client's. */
    String apiVersion() default "";

    /** Where the channel starts without a stored marker: "new", "all" or a replay ID; empty for the client's. */
    String replay() default "";

    /** The container that makes {@link HandleNotification} repeatable. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        HandleNotification[] value();
    }
}
