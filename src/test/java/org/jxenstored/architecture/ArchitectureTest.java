package org.jxenstored.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of docs/architecture.md, checked on the daemon's classes (tests excluded): a violation fails the
 * build with the offending dependency named.
 */
@AnalyzeClasses(packages = "org.jxenstored", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** No two packages depend on each other, directly or through others. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("org.jxenstored.(**)").should().beFreeOfCycles();

    /** The protocol and the store are plain Java: no I/O framework, no hypervisor, no native memory. */
    @ArchTest
    static final ArchRule protocolAndStoreKnowNothingOfNettyOrXen = noClasses()
            .that().resideInAnyPackage("org.jxenstored.protocol..", "org.jxenstored.store..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "com.sun.jna..", "org.jxenstored.xen..",
                    "org.jxenstored.transport..", "org.jxenstored.server..", "org.jxenstored.domain..",
                    "org.jxenstored.daemon..");

    /**
     * Native calls (JNA) in two packages only: {@code xen.jna}, Xen's libraries and the ring pages' native memory;
     * {@code os}, the few libc calls Java lacks (SO_PEERCRED, datagrams, a live update's execve), on Java arrays only.
     */
    @ArchTest
    static final ArchRule nativeCodeOnlyInXenJnaAndOs = noClasses()
            .that().resideOutsideOfPackages("org.jxenstored.xen.jna..", "org.jxenstored.os..")
            .should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..");

    /** Native memory (JNA's Pointer and Memory) in the Xen binding only. */
    @ArchTest
    static final ArchRule nativeMemoryOnlyInXenJna = noClasses()
            .that().resideOutsideOfPackage("org.jxenstored.xen.jna..")
            .should().dependOnClassesThat().haveFullyQualifiedName("com.sun.jna.Pointer")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("com.sun.jna.Memory");

    /** Only the daemon package wires the parts together: nothing depends on it. */
    @ArchTest
    static final ArchRule theDaemonIsTheOnlyCompositionRoot = noClasses()
            .that().resideOutsideOfPackage("org.jxenstored.daemon..")
            .should().dependOnClassesThat().resideInAPackage("org.jxenstored.daemon..");

    /** The core serves requests without knowing which transport or hypervisor carries them. */
    @ArchTest
    static final ArchRule theServerKnowsNoTransportOrHypervisor = noClasses()
            .that().resideInAnyPackage("org.jxenstored.server..", "org.jxenstored.watch..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.jxenstored.transport..",
                    "org.jxenstored.xen..", "org.jxenstored.domain..", "org.jxenstored.control..",
                    "org.jxenstored.logging..");

    /**
     * The kept state (crash restart) is plain file I/O over the server, store, domain and ring layers: no Netty, no
     * hypervisor, no operator commands; only the composition root uses it.
     */
    @ArchTest
    static final ArchRule persistenceIsFileIoOverTheCore = noClasses()
            .that().resideInAPackage("org.jxenstored.persist..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "com.sun.jna..", "org.jxenstored.xen..",
                    "org.jxenstored.control..", "org.jxenstored.logging..", "org.jxenstored.transport.unix..");

    @ArchTest
    static final ArchRule onlyTheDaemonUsesPersistence = noClasses()
            .that().resideOutsideOfPackages("org.jxenstored.persist..", "org.jxenstored.daemon..")
            .should().dependOnClassesThat().resideInAPackage("org.jxenstored.persist..");

    /**
     * jxenstored's own Netty channels (src/main/java/io/netty/channel/epoll, in Netty's package for its
     * package-private parts) serve the Unix socket transport only.
     */
    @ArchTest
    static final ArchRule ownNettyChannelsOnlyInTheSocketTransport = noClasses()
            .that().resideOutsideOfPackage("org.jxenstored.transport.unix..")
            .should().dependOnClassesThat().haveNameMatching("io\\.netty\\.channel\\.epoll\\.Xs.*");
}
