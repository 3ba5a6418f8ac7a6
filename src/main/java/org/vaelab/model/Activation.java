package org.vaelab.model;

/** Hidden-layer activation of the MLP encoder and decoder. */
public enum Activation {
    RELU,
    TANH
}
