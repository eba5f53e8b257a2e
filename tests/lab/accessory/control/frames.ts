/**
 * The lab control protocol's wire format lives with the product's client of it (main/session); the lab
 * device and test client use the same codec so both ends agree by construction.
 */
export * from '../../../../main/session/protocols/control-frames'
