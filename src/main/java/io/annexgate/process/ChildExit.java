package io.annexgate.process;

/** How a child that ran to completion ended: its exit status and what it wrote, as far as kept. */
public record ChildExit(ChildCommand command, int status, CapturedOutput stdout, CapturedOutput stderr) {

    public boolean succeeded() {
        return status == 0;
    }

    /** This exit if the status is 0, else a {@link ChildFailedException} naming the command, status and stderr. */
    public ChildExit requireSuccess() throws ChildFailedException {
        if (!succeeded()) {
            throw new ChildFailedException(this);
        }
        return this;
    }
}
