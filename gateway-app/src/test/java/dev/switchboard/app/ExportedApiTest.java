package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.lifecycle.internal.ModelManager;
import dev.switchboard.llamacpp.LlamaCppBackendFactory;
import dev.switchboard.sglang.SglangBackendFactory;
import dev.switchboard.simulator.SimulatorCommand;
import dev.switchboard.vllm.VllmBackendFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The library modules export a small API: no type of a package a module does not export (its
 * {@code internal} packages) appears in a public signature of a package it does export, so an
 * embedder or a backend author never meets a type they cannot name. Read from each module's own
 * {@code module-info} and classes.
 */
class ExportedApiTest {
    /** A class of each library module. */
    private static final List<Class<?>> MODULES = List.of(
            Gateway.class,
            LlamaCppBackendFactory.class,
            VllmBackendFactory.class,
            SglangBackendFactory.class,
            SimulatorCommand.class);

    @Test
    void noExportedSignatureNamesANonExportedType() throws Exception {
        Set<String> ours = new HashSet<>();
        Set<String> exported = new HashSet<>();
        List<String> classes = new ArrayList<>();
        for (Class<?> member : MODULES) {
            Path location = location(member);
            ModuleDescriptor descriptor = descriptor(location);
            ours.addAll(descriptor.packages());
            descriptor.exports().stream().filter(e -> !e.isQualified()).forEach(e -> exported.add(e.source()));
            classes.addAll(classNames(location));
        }
        Predicate<String> visible = pkg -> !ours.contains(pkg) || exported.contains(pkg);

        List<String> leaks = new ArrayList<>();
        classes.forEach(name -> {
            Class<?> type = load(name);
            if (exported.contains(type.getPackageName()) && isApi(type)) {
                leaks.addAll(leaks(type, visible));
            }
        });

        assertThat(leaks).isEmpty();
        // the modules do keep internals: the check has something to keep out
        assertThat(ours).hasSizeGreaterThan(exported.size());
    }

    @Test
    void aSignatureNamingAnInternalTypeIsALeak() {
        Predicate<String> visible = pkg -> !pkg.contains(".internal");

        assertThat(leaks(Leaky.class, visible))
                .containsExactly(Leaky.class.getName() + ".manager() names " + ModelManager.class.getName());
    }

    /** A public type whose public method returns an internal one. */
    public static final class Leaky {
        public ModelManager manager() {
            return null;
        }

        ModelManager hidden() { // package-private: not API
            return null;
        }
    }

    /** The non-exported types a public or protected member of {@code type} names. */
    static List<String> leaks(Class<?> type, Predicate<String> visible) {
        Map<String, Type> named = new LinkedHashMap<>();
        if (type.getGenericSuperclass() != null) {
            named.put("superclass", type.getGenericSuperclass());
        }
        for (Type implemented : type.getGenericInterfaces()) {
            named.put("implements " + implemented.getTypeName(), implemented);
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                named.put(component.getName(), component.getGenericType());
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (isApi(field.getModifiers())) {
                named.put(field.getName(), field.getGenericType());
            }
        }
        List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredMethods()));
        executables.addAll(List.of(type.getDeclaredConstructors()));
        for (Executable executable : executables) {
            if (!isApi(executable.getModifiers()) || executable.isSynthetic()) {
                continue;
            }
            String label = executable instanceof Constructor<?> ? "<init>" : executable.getName() + "()";
            List<Type> types = new ArrayList<>(List.of(executable.getGenericParameterTypes()));
            types.addAll(List.of(executable.getGenericExceptionTypes()));
            if (executable instanceof Method method) {
                types.add(method.getGenericReturnType());
            }
            for (int i = 0; i < types.size(); i++) {
                named.put(label + "#" + i, types.get(i));
            }
        }
        Set<String> leaks = new TreeSet<>();
        named.forEach((where, signature) -> classesIn(signature, new HashSet<>()).stream()
                .filter(used -> !visible.test(used.getPackageName()))
                .forEach(used ->
                        leaks.add(type.getName() + "." + where.replaceAll("#\\d+$", "") + " names " + used.getName())));
        return List.copyOf(leaks);
    }

    private static Set<Class<?>> classesIn(Type type, Set<Type> seen) {
        Set<Class<?>> classes = new HashSet<>();
        if (!seen.add(type)) {
            return classes;
        }
        switch (type) {
            case Class<?> c when c.isArray() -> classes.addAll(classesIn(c.getComponentType(), seen));
            case Class<?> c when !c.isPrimitive() -> classes.add(c);
            case ParameterizedType p -> {
                classes.addAll(classesIn(p.getRawType(), seen));
                for (Type argument : p.getActualTypeArguments()) {
                    classes.addAll(classesIn(argument, seen));
                }
            }
            case GenericArrayType a -> classes.addAll(classesIn(a.getGenericComponentType(), seen));
            case WildcardType w -> {
                Stream.of(w.getUpperBounds()).forEach(b -> classes.addAll(classesIn(b, seen)));
                Stream.of(w.getLowerBounds()).forEach(b -> classes.addAll(classesIn(b, seen)));
            }
            case TypeVariable<?> v -> Stream.of(v.getBounds()).forEach(b -> classes.addAll(classesIn(b, seen)));
            default -> {}
        }
        return classes;
    }

    /** Public, and reachable from outside: every enclosing class public too. */
    private static boolean isApi(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isApi(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static Path location(Class<?> member) throws URISyntaxException {
        return Path.of(
                member.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleDescriptor descriptor(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            try (InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
    }

    private static List<String> classNames(Path location) throws IOException {
        List<String> entries;
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                entries = files.map(file -> location.relativize(file).toString().replace('\\', '/'))
                        .toList();
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                entries = jar.stream().map(ZipEntry::getName).toList();
            }
        }
        return entries.stream()
                .filter(entry -> entry.endsWith(".class")
                        && !entry.endsWith("module-info.class")
                        && !entry.endsWith("package-info.class"))
                .map(entry ->
                        entry.substring(0, entry.length() - ".class".length()).replace('/', '.'))
                .toList();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ExportedApiTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
