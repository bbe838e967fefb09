package dev.headroom.kernel;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the bytecode of cell classes before JShell loads them, for two things the kernel cannot
 * otherwise guarantee while cells run inside its own JVM:
 *
 * <ul>
 *   <li><b>Exit.</b> {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} calls (and method
 *       references to them) become calls to {@link CellGuard}, which throws: the cell fails with a clear
 *       message and the kernel lives on. Chosen over a SecurityManager, which is deprecated for removal
 *       (JDK 17 warns on every start, JDK 18+ needs {@code -Djava.security.manager=allow}, JDK 24 removed it)
 *       and slows every permission check of every library; over source rewriting, which misses method
 *       references and cannot tell {@code System} from a user's class of that name. It covers code typed
 *       in cells; a library that calls {@code System.exit} itself still ends the kernel, and then
 *       {@code ./headroom report} says which cell killed it.</li>
 *   <li><b>Stop.</b> Every handler that can catch {@link ThreadDeath} ({@code Throwable}, {@code Error},
 *       {@code ThreadDeath}) first calls {@link CellGuard#rethrowIfStopping}: a loop that catches everything
 *       cannot swallow the kernel's {@code Thread.stop}.</li>
 * </ul>
 */
final class SnippetInstrumenter {
    private static final String GUARD = CellGuard.class.getName().replace('.', '/');
    private static final Set<String> STOP_CATCHERS = Set.of("java/lang/Throwable", "java/lang/Error", "java/lang/ThreadDeath");

    private SnippetInstrumenter() {}

    /**
     * The rewritten class file; the original bytes when the class file is newer than ASM can read
     * (the cell then runs unguarded rather than not at all).
     */
    static byte[] instrument(byte[] classFile) {
        ClassReader reader;
        try {
            reader = new ClassReader(classFile);
        } catch (IllegalArgumentException newerThanAsm) {
            return classFile;
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new GuardingMethod(super.visitMethod(access, name, descriptor, signature, exceptions));
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class GuardingMethod extends MethodVisitor {
        private final Set<Label> stopCatchers = new HashSet<>();
        private boolean atStopCatcher;

        GuardingMethod(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            if (type != null && STOP_CATCHERS.contains(type)) {
                stopCatchers.add(handler);
            }
            super.visitTryCatchBlock(start, end, handler, type);
        }

        @Override
        public void visitLabel(Label label) {
            super.visitLabel(label);
            if (stopCatchers.contains(label)) {
                atStopCatcher = true;
            }
        }

        /** Before the handler's first instruction (after its frame): the caught throwable is on the stack. */
        private void guard() {
            if (atStopCatcher) {
                atStopCatcher = false;
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD, "rethrowIfStopping", "(Ljava/lang/Throwable;)V", false);
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            guard();
            if (opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/System") && name.equals("exit") && descriptor.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD, "exit", "(I)V", false);
            } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/lang/Runtime") && descriptor.equals("(I)V")
                    && (name.equals("exit") || name.equals("halt"))) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD, name, "(Ljava/lang/Runtime;I)V", false);
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            guard();
            Object[] rewritten = arguments.clone();
            for (int i = 0; i < rewritten.length; i++) {
                rewritten[i] = constant(rewritten[i]);
            }
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, rewritten);
        }

        @Override
        public void visitLdcInsn(Object value) {
            guard();
            super.visitLdcInsn(constant(value));
        }

        /** {@code System::exit}, {@code runtime::halt} as method handles (method references, lambdas). */
        private static Object constant(Object value) {
            if (value instanceof Handle handle) {
                boolean systemExit = handle.getTag() == Opcodes.H_INVOKESTATIC && handle.getOwner().equals("java/lang/System")
                        && handle.getName().equals("exit") && handle.getDesc().equals("(I)V");
                boolean runtimeEnd = handle.getTag() == Opcodes.H_INVOKEVIRTUAL && handle.getOwner().equals("java/lang/Runtime")
                        && (handle.getName().equals("exit") || handle.getName().equals("halt")) && handle.getDesc().equals("(I)V");
                if (systemExit) {
                    return new Handle(Opcodes.H_INVOKESTATIC, GUARD, "exit", "(I)V", false);
                }
                if (runtimeEnd) {
                    return new Handle(Opcodes.H_INVOKESTATIC, GUARD, handle.getName(), "(Ljava/lang/Runtime;I)V", false);
                }
            }
            if (value instanceof ConstantDynamic dynamic) {
                Object[] arguments = new Object[dynamic.getBootstrapMethodArgumentCount()];
                for (int i = 0; i < arguments.length; i++) {
                    arguments[i] = constant(dynamic.getBootstrapMethodArgument(i));
                }
                return new ConstantDynamic(dynamic.getName(), dynamic.getDescriptor(), dynamic.getBootstrapMethod(), arguments);
            }
            return value;
        }

        @Override
        public void visitInsn(int opcode) {
            guard();
            super.visitInsn(opcode);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            guard();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            guard();
            super.visitVarInsn(opcode, varIndex);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            guard();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            guard();
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            guard();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitIincInsn(int varIndex, int increment) {
            guard();
            super.visitIincInsn(varIndex, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            guard();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            guard();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            guard();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }
    }
}
