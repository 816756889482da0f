package dev.sfstream.service;

import dev.sfstream.soql.NotifyForFields;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a PushTopic on the changes of one sObject type (with {@link dev.sfstream.rest.SObjectTopic}: no
 * {@code Name} in the query, escaped literals, a deterministic name of at most 25 characters) when the service
 * starts, then handles its notifications. Repeatable: stack several on one method.
 *
 * <p>The method takes {@code (String sobjectType, String recordType, EVENT event)}; {@code recordType} is
 * {@code null} when none is set; EVENT as for {@link Subscribe}.
 *
 * <pre>{@code
 * @HandleSObjectNotification(sobjectType = "Lead")
 * @HandleSObjectNotification(sobjectType = "Opportunity")
 * void onChange(String sobjectType, String recordType, JsonNode notification) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(HandleSObjectNotification.List.class)
public @interface HandleSObjectNotification {
    /** The sObject type, such as {@code Contact} or {@code Invoice__c}. */
    String sobjectType();

    /** A record type's DeveloperName, to handle only records of that type; empty for all. */
    String recordType() default "";

    /**
     * Whether to leave out changes made by the user the service authenticates as. False by default: a service that
     * silently drops its own user's changes surprises people.
     */
    boolean excludeCurrentUser() default false;

    /** More fields to select, beyond Id, LastModifiedById and LastModifiedDate. */
    String[] fields() default {};

    /** Which field changes notify on update; All by default: every change of a record of the type. */
    NotifyForFields notifyForFields() default NotifyForFields.ALL;

    boolean notifyForOperationCreate() default true;

    boolean notifyForOperationUpdate() default true;

    boolean notifyForOperationDelete() default true;

    boolean notifyForOperationUndelete() default true;

    /** Where the channel starts without a stored marker: "new", "all" or a replay ID; empty for the client's. */
    String replay() default "";

    /** The container that makes {@link HandleSObjectNotification} repeatable. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        HandleSObjectNotification[] value();
    }
}
