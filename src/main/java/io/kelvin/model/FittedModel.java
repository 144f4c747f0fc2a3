package io.kelvin.model;

/**
 * A model with the facts of its training: the penalties chosen for each target with every
 * penalty's validation score, its errors on the validation rows when fitted to the training rows
 * alone (the honest figure to compare designs by), and how many rows were used or skipped.
 *
 * @param model          refitted on training and validation rows with the chosen penalties
 * @param energySearch   penalty search of the energy target
 * @param indoorSearch   penalty search of the indoor target
 * @param validation     errors on the validation rows of the fit to the training rows alone
 * @param trainingRows   rows the final model was fitted to
 * @param skippedRows    rows left out because a feature the design needs was missing or not finite
 */
public record FittedModel(ThermalModel model, LambdaSearch.Choice energySearch, LambdaSearch.Choice indoorSearch,
                          ModelErrors validation, int trainingRows, int skippedRows) {}
