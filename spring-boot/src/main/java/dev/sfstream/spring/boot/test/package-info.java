/** Test support: {@link dev.sfstream.spring.boot.test.AutoConfigureSfstreamEmulator}, a local org for a test. */
package dev.sfstream.spring.boot.test;
