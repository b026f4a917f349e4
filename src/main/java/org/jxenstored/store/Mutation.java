package org.jxenstored.store;

/** One change a transaction made, kept to replay it on the live tree at commit. */
public sealed interface Mutation permits Mutation.Write, Mutation.Mkdir, Mutation.Remove, Mutation.SetPerms {
    /** Applies the change to {@code tree} with the same rules it passed inside the transaction. */
    void apply(Tree tree, Caller caller, ChangeSink sink);

    String path();

    /** Bytes the logged change keeps alive until the transaction ends (charged to the transaction's domain). */
    long heldBytes();

    /** WRITE. */
    record Write(String path, byte[] value) implements Mutation {
        @Override
        public void apply(Tree tree, Caller caller, ChangeSink sink) {
            Editor.write(tree, caller, path, value, sink);
        }

        @Override
        public long heldBytes() {
            return path.length() + value.length;
        }
    }

    /** MKDIR. */
    record Mkdir(String path) implements Mutation {
        @Override
        public void apply(Tree tree, Caller caller, ChangeSink sink) {
            Editor.mkdir(tree, caller, path, sink);
        }

        @Override
        public long heldBytes() {
            return path.length();
        }
    }

    /** RM. */
    record Remove(String path) implements Mutation {
        @Override
        public void apply(Tree tree, Caller caller, ChangeSink sink) {
            Editor.remove(tree, caller, path, sink);
        }

        @Override
        public long heldBytes() {
            return path.length();
        }
    }

    /** SET_PERMS. */
    record SetPerms(String path, Perms perms) implements Mutation {
        @Override
        public void apply(Tree tree, Caller caller, ChangeSink sink) {
            Editor.setPerms(tree, caller, path, perms, sink);
        }

        @Override
        public long heldBytes() {
            return path.length() + perms.accountedSize();
        }
    }
}
