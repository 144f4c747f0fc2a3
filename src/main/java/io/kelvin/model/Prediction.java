package io.kelvin.model;

/** What a model says about the next window: HVAC energy in kWh and mean indoor temperature in degrees C. */
public record Prediction(double energyKwh, double indoorC) {}
