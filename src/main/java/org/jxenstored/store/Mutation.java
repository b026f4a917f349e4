package org.jxenstored.store;

/** One change a transaction made, kept to replay it on the live tree at commit. */
public interface Mutation {
    /** Applies the change to {@code tree} with the same rules it passed inside the transaction. */
    void apply(Tree tree, Caller caller, ChangeSink sink);

    String path();

    /** WRITE. */
    record Write(String path, byte[] value) implements Mutation {
        @Override
        public void apply(Tree tree, Caller caller, ChangeSink sink) {
            Editor.write(tree, caller, path, value, sink);
        }
    }

    /** MKDIR. */
    record Mkdir(String path) implements Mutation {
        @Override
        public void apply(Tree tree, Caller caller, ChangeSink sink) {
            Editor.mkdir(tree, caller, path, sink);
        }
    }

    /** RM. */
    record Remove(String path) implements Mutation {
        @Override
        public void apply(Tree tree, Caller caller, ChangeSink sink) {
            Editor.remove(tree, caller, path, sink);
        }
    }

    /** SET_PERMS. */
    record SetPerms(String path, Perms perms) implements Mutation {
        @Override
        public void apply(Tree tree, Caller caller, ChangeSink sink) {
            Editor.setPerms(tree, caller, path, perms, sink);
        }
    }
}
