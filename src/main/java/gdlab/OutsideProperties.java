package gdlab;

import java.util.List;
import java.util.Set;

/**
 * System properties that belong to the JVM, to Maven or to a library rather than to gdlab. They pass through
 * unchecked; every other system property is taken as a gdlab key, so a misspelt one ({@code -DmaxEpochs=1}) is
 * refused instead of silently ignored. {@code mvn exec:java} runs gdlab inside Maven's own JVM, which is why
 * Maven's properties are here.
 */
final class OutsideProperties {
    /** Name prefixes. */
    static final List<String> PREFIXES = List.of(
            // the JVM and the Java platform
            "java.", "javax.", "jdk.", "sun.", "com.sun.", "os.", "user.", "file.", "line.", "path.", "native.",
            "awt.", "stdout.", "stderr.", "http.", "https.", "ftp.", "socksProxy", "networkaddress.",
            // Maven, its launcher and plugins
            "maven.", "classworlds.", "library.jansi.", "jansi.", "guice.", "env.", "style.", "exec.", "surefire.",
            // the libraries gdlab runs on: DL4J, ND4J, JavaCPP, Spark, logging
            "org.bytedeco.", "javacpp.", "org.nd4j.", "org.deeplearning4j.", "spark.", "org.apache.", "io.netty.",
            "jna.", "scala.", "org.slf4j.", "slf4j.", "logback.", "log4j");

    /** Whole names: Maven's test switches and the properties surefire gives a test JVM. */
    static final Set<String> NAMES = Set.of("skipTests", "test", "basedir", "localRepository");

    private OutsideProperties() {
    }

    static boolean contains(String name) {
        return NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
    }
}
