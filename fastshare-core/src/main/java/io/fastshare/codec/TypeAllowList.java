package io.fastshare.codec;

import io.fastshare.CodecException;

import java.io.ObjectInputFilter;
import java.util.List;
import java.util.Set;

/**
 * The classes a payload may instantiate when the reader does not name its type: an untyped
 * {@code read(token)} of a structured payload, and every class in a Java serialisation stream.
 * Configured with {@code SharedMemoryTemplate.Builder.allowedTypes(String...)}.
 *
 * <p>Patterns use the syntax of {@link ObjectInputFilter.Config#createFilter}:
 * <ul>
 *   <li>{@code com.example.Foo}: that class only (nested classes are {@code com.example.Foo$Bar});</li>
 *   <li>{@code com.example.*}: every class of package {@code com.example}, not its sub-packages;</li>
 *   <li>{@code com.example.**}: every class of {@code com.example} and its sub-packages;</li>
 *   <li>{@code com.example.Foo*}: every class whose name starts with {@code com.example.Foo}.</li>
 * </ul>
 * An array is allowed when its component type is; primitives are always allowed. A few JDK value and
 * collection classes that cannot run code while being rebuilt are always allowed (see
 * {@link #BUILT_IN}); nothing else is allowed unless a pattern names it.
 *
 * <p>Immutable and thread-safe.
 */
public final class TypeAllowList {

    /** The builder setting that configures the allow-list, named in error messages. */
    public static final String SETTING = "SharedMemoryTemplate.Builder.allowedTypes(...)";

    /**
     * JDK classes that are always allowed: strings, boxed primitives and their supertypes, big numbers,
     * enums' common superclass, and the standard mutable collections.
     */
    public static final List<String> BUILT_IN = List.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Character", "java.lang.Number", "java.lang.Byte",
            "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
            "java.lang.Enum", "java.lang.Object", "java.math.BigInteger", "java.math.BigDecimal",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet");

    private static final Set<String> BUILT_IN_SET = Set.copyOf(BUILT_IN);

    private final List<String> patterns;
    private final String setting;

    private TypeAllowList(List<String> patterns, String setting) {
        this.patterns = patterns;
        this.setting = setting;
    }

    /**
     * Creates an allow-list.
     *
     * @param patterns class name patterns, as described on the class
     * @return the allow-list
     * @throws IllegalArgumentException when a pattern is blank, holds whitespace, or uses {@code *}
     *     other than at its end
     */
    public static TypeAllowList of(List<String> patterns) {
        return of(patterns, SETTING);
    }

    /**
     * Creates an allow-list whose refusals name the setting the user configures it with.
     *
     * @param patterns class name patterns, as described on the class
     * @param setting the setting named in refusals, such as {@code fastshare.codec.allowed-types}
     * @return the allow-list
     * @throws IllegalArgumentException when a pattern is blank, holds whitespace, or uses {@code *}
     *     other than at its end
     */
    public static TypeAllowList of(List<String> patterns, String setting) {
        for (String pattern : patterns) {
            if (pattern == null || pattern.isBlank() || pattern.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("allowed type pattern must be a class name or package pattern "
                        + "without spaces: '" + pattern + "'");
            }
            int star = pattern.indexOf('*');
            if (star >= 0 && !(pattern.endsWith("*") && (star == pattern.length() - 1
                    || (pattern.endsWith(".**") && star == pattern.length() - 2)))) {
                throw new IllegalArgumentException("'*' may only end an allowed type pattern "
                        + "(com.example.Foo, com.example.*, com.example.**, com.example.Foo*): '" + pattern + "'");
            }
        }
        return new TypeAllowList(List.copyOf(patterns), setting);
    }

    /**
     * Returns an allow-list holding only the built-in JDK classes.
     *
     * @return the allow-list
     */
    public static TypeAllowList builtInOnly() {
        return new TypeAllowList(List.of(), SETTING);
    }

    /**
     * Returns the configured patterns (without the built-in classes).
     *
     * @return unmodifiable list
     */
    public List<String> patterns() {
        return patterns;
    }

    /**
     * Tells whether a class is allowed.
     *
     * @param type the class
     * @return true when allowed
     */
    public boolean isAllowed(Class<?> type) {
        Class<?> component = type;
        while (component.isArray()) {
            component = component.getComponentType();
        }
        return component.isPrimitive() || isAllowed(component.getName());
    }

    /**
     * Tells whether a class name is allowed. Array names ({@code [Lcom.example.Foo;}) are judged by
     * their component type.
     *
     * @param className binary class name, as from {@link Class#getName()}
     * @return true when allowed
     */
    public boolean isAllowed(String className) {
        String name = componentName(className);
        if (name == null) {
            return true;
        }
        if (BUILT_IN_SET.contains(name)) {
            return true;
        }
        for (String pattern : patterns) {
            if (matches(pattern, name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Throws unless a class name is allowed.
     *
     * @param className binary class name
     * @param what what is being read, for the message (such as "untyped read of a JSON payload")
     * @throws CodecException naming the class and the setting that would allow it
     */
    public void check(String className, String what) {
        if (!isAllowed(className)) {
            throw refusal(className, what);
        }
    }

    /**
     * Builds the exception for a refused class.
     *
     * @param className binary class name
     * @param what what is being read
     * @return the exception, naming the class and the setting
     */
    public CodecException refusal(String className, String what) {
        return new CodecException(what + " would instantiate " + className + ", which is not allowed: add a "
                + "pattern matching it to " + setting + " (allowed now: " + (patterns.isEmpty() ? "built-in JDK types only"
                : patterns) + "), or read with an explicit type");
    }

    /** Returns the name of the element class of an array name, the name itself otherwise, null for primitives. */
    private static String componentName(String className) {
        if (!className.startsWith("[")) {
            return className;
        }
        String element = className.replaceFirst("^\\[+", "");
        if (element.startsWith("L") && element.endsWith(";")) {
            return element.substring(1, element.length() - 1);
        }
        return null;
    }

    private static boolean matches(String pattern, String name) {
        if (pattern.endsWith(".**")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return name.startsWith(prefix);
        }
        if (pattern.endsWith(".*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return name.startsWith(prefix) && name.indexOf('.', prefix.length()) < 0;
        }
        if (pattern.endsWith("*")) {
            return name.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return name.equals(pattern);
    }

    @Override
    public String toString() {
        return "TypeAllowList" + patterns;
    }
}
