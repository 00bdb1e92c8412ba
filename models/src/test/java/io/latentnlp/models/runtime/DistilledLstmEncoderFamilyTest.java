package io.latentnlp.models.runtime;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;

/** The {@code lstm} family on the distilled student: word pieces, and every file but its encoder read from its base bundle. */
class DistilledLstmEncoderFamilyTest extends EncoderFamilyContract {

    @Override
    protected ModelBundle bundle() {
        return ShippedModels.load(ShippedModels.MINILM_LSTM_64);
    }

    @Override
    protected String familyName() {
        return LstmEncoderFamily.NAME;
    }
}
