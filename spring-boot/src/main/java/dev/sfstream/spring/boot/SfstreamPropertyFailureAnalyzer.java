package dev.sfstream.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link SfstreamPropertyException} at startup as Spring Boot reports a bad property: the property, the
 * reason and what to do, never a secret's value (Boot's own report of an invalid property prints the value as set).
 */
public class SfstreamPropertyFailureAnalyzer extends AbstractFailureAnalyzer<SfstreamPropertyException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SfstreamPropertyException cause) {
        String description = "sfstream could not be configured: property '" + cause.property() + "'"
                + (cause.shownValue() != null ? " with value '" + cause.shownValue() + "'" : "") + ": "
                + cause.reason();
        String action = "Fix '" + cause.property() + "' in the application's configuration (the sfstream.* "
                + "properties are listed in sfstream-spring-boot's README), or set sfstream.enabled=false.";
        return new FailureAnalysis(description, action, cause);
    }
}
