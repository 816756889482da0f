package dev.sfstream.soql;

/**
 * Which field changes of an updated record make a PushTopic notify, the PushTopic's {@code NotifyForFields} field.
 *
 * <p>Whatever the mode, a record notifies only when it matches the query's WHERE clause. The mode decides which
 * changed fields count on update: any field ({@link #ALL}), a field named in SELECT or WHERE ({@link #REFERENCED},
 * Salesforce's default), in SELECT ({@link #SELECT}) or in WHERE ({@link #WHERE}).
 */
public enum NotifyForFields {
    /** Any field change notifies. */
    ALL("All"),
    /** A change to a field named in SELECT or WHERE notifies. Salesforce's default. */
    REFERENCED("Referenced"),
    /** A change to a field named in SELECT notifies. */
    SELECT("Select"),
    /** A change to a field named in WHERE notifies. */
    WHERE("Where");

    private final String salesforceName;

    NotifyForFields(String salesforceName) {
        this.salesforceName = salesforceName;
    }

    /** The picklist value as Salesforce writes it: {@code All}, {@code Referenced}, {@code Select}, {@code Where}. */
    public String salesforceName() {
        return salesforceName;
    }

    /**
     * Reads a picklist value, case-insensitively ({@code "Referenced"}, {@code "referenced"}).
     *
     * @throws IllegalArgumentException naming the valid values when {@code value} is none of them
     */
    public static NotifyForFields fromSalesforceName(String value) {
        if (value != null) {
            for (NotifyForFields mode : values()) {
                if (mode.salesforceName.equalsIgnoreCase(value.trim())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("NotifyForFields must be one of All, Referenced, Select, Where; got '"
                + value + "'");
    }
}
